package dev.antler.tasks;

import static java.util.Objects.requireNonNull;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The video dialects the families registered, in registration order: a model goes to the first that claims it,
 * else to the first fallback.
 */
public final class VideoDialects {

    private final List<VideoDialect> all = new CopyOnWriteArrayList<>();

    public void add(VideoDialect dialect) {
        requireNonNull(dialect, "dialect");
        if (byFamily(dialect.family()).isPresent()) {
            throw new IllegalStateException("video dialect: " + dialect.family()
                    + " (expected: one dialect per family; it is registered twice)");
        }
        all.add(dialect);
    }

    /** The dialect taking {@code model}: the first non-fallback one claiming it, else the first fallback claiming it. */
    public Optional<VideoDialect> forModel(String model) {
        return all.stream().filter(d -> !d.fallback() && d.claims(model)).findFirst()
                .or(() -> all.stream().filter(d -> d.fallback() && d.claims(model)).findFirst());
    }

    /** The dialect of the family whose tasks are {@code family}'s. */
    public Optional<VideoDialect> byFamily(String family) {
        return all.stream().filter(d -> d.family().equals(family)).findFirst();
    }

    /** Every dialect's channel types. */
    public Set<String> channelTypes() {
        Set<String> types = new LinkedHashSet<>();
        all.forEach(d -> types.addAll(d.channelTypes()));
        return Set.copyOf(types);
    }

    public boolean isEmpty() {
        return all.isEmpty();
    }
}
