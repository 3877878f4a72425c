package dev.antler.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The order in which channels are tried for one request: tier by tier, highest priority first;
 * inside a tier a weighted random order without repetition, so a channel is never tried twice.
 */
public final class ChannelPlan {

    private ChannelPlan() {}

    public static List<Channel> order(List<List<Channel>> tiers, RandomGenerator random, int maxAttempts) {
        List<Channel> order = new ArrayList<>();
        for (List<Channel> tier : tiers) {
            List<Channel> remaining = new ArrayList<>(tier);
            while (!remaining.isEmpty() && order.size() < maxAttempts) {
                order.add(remaining.remove(pickWeighted(remaining, random)));
            }
            if (order.size() >= maxAttempts) {
                break;
            }
        }
        return order;
    }

    private static int pickWeighted(List<Channel> channels, RandomGenerator random) {
        if (channels.size() == 1) {
            return 0;
        }
        long total = 0;
        for (Channel c : channels) {
            total += c.weight();
        }
        long point = random.nextLong(total);
        for (int i = 0; i < channels.size(); i++) {
            point -= channels.get(i).weight();
            if (point < 0) {
                return i;
            }
        }
        return channels.size() - 1;
    }
}
