package dev.antler.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Status;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ChannelPlanTest {

    private static Channel channel(long id, int priority, int weight, String... models) {
        return new Channel(id, "c" + id, "openai", "http://upstream", "sk-up", Set.of(models), Map.of(), priority, weight,
                Set.of("default"), Status.ACTIVE, null);
    }

    @Test
    void triesHigherTiersFirstAndNeverTheSameChannelTwice() {
        ChannelRegistry registry = new ChannelRegistry();
        registry.replace(List.of(channel(1, 0, 1, "m"), channel(2, 10, 1, "m"), channel(3, 10, 1, "m"),
                channel(4, 5, 1, "m")));
        List<List<Channel>> tiers = registry.tiers("default", "m", Set.of("openai"));
        assertThat(tiers).extracting(t -> t.get(0).priority()).containsExactly(10, 5, 0);

        List<Channel> order = ChannelPlan.order(tiers, new SplittableRandom(7), 10);
        assertThat(order).extracting(Channel::id).hasSize(4).doesNotHaveDuplicates();
        assertThat(order.subList(0, 2)).extracting(Channel::id).containsExactlyInAnyOrder(2L, 3L);
        assertThat(order.get(2).id()).isEqualTo(4);
        assertThat(order.get(3).id()).isEqualTo(1);
        assertThat(ChannelPlan.order(tiers, new SplittableRandom(7), 2)).hasSize(2);
    }

    @Test
    void weightsShareTrafficInsideATier() {
        List<List<Channel>> tiers = List.of(List.of(channel(1, 0, 3, "m"), channel(2, 0, 1, "m")));
        SplittableRandom random = new SplittableRandom(42);
        Map<Long, Integer> first = new HashMap<>();
        for (int i = 0; i < 40_000; i++) {
            first.merge(ChannelPlan.order(tiers, random, 2).get(0).id(), 1, Integer::sum);
        }
        assertThat(first.get(1L) / 40_000.0).isBetween(0.73, 0.77);
    }

    @Test
    void skipsDisabledOtherGroupsOtherTypesAndOtherModels() {
        Channel disabled = new Channel(5, "off", "openai", "u", "k", Set.of("m"), Map.of(), 0, 1, Set.of("default"),
                Status.DISABLED, "upstream 401");
        Channel vipOnly = new Channel(6, "vip", "openai", "u", "k", Set.of("m"), Map.of(), 0, 1, Set.of("vip"),
                Status.ACTIVE, null);
        Channel otherType = new Channel(7, "claude", "anthropic", "u", "k", Set.of("m"), Map.of(), 0, 1,
                Set.of("default"), Status.ACTIVE, null);
        Channel wildcard = channel(8, 0, 1);
        ChannelRegistry registry = new ChannelRegistry();
        registry.replace(List.of(disabled, vipOnly, otherType, wildcard, channel(9, 0, 1, "other")));
        assertThat(registry.tiers("default", "m", Set.of("openai")))
                .singleElement().satisfies(tier -> assertThat(tier).extracting(Channel::id).containsExactly(8L));
        assertThat(registry.tiers("vip", "m", Set.of("openai")).get(0)).extracting(Channel::id).containsExactly(6L);
        assertThat(registry.models("default", Set.of("openai"))).containsExactly("other");
    }

    @Test
    void mapsModelNamesPerChannel() {
        Channel c = new Channel(1, "c", "openai", "u", "k", Set.of("gpt-4o-mini"),
                Map.of("gpt-4o-mini", "gpt-4o-mini-2024-07-18"), 0, 1, Set.of("default"), Status.ACTIVE, null);
        assertThat(c.upstreamModel("gpt-4o-mini")).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(c.upstreamModel("other")).isEqualTo("other");
        assertThat(c.toString()).doesNotContain("k]").doesNotContain("sk-");
    }
}
