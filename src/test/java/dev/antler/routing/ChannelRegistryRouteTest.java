package dev.antler.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Status;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The order of {@link ChannelRegistry#route}, and that a cached lookup allocates nothing. */
class ChannelRegistryRouteTest {

    private static final Set<String> ANTHROPIC = Set.of("anthropic");
    private static final Set<String> OPENAI = Set.of("openai");

    private static Channel channel(long id, String type, int priority, String... models) {
        return new Channel(id, "c" + id, type, "http://upstream", "sk-x", Set.of(models), Map.of(), priority, 1,
                Set.of("default"), Status.ACTIVE, null);
    }

    private static List<Long> ids(List<List<Channel>> tiers) {
        return tiers.stream().flatMap(List::stream).map(Channel::id).toList();
    }

    @Test
    void namingChannelsComeFirstThenCatchAllOnesEachNativeBeforeTranslatedWhatEverTheirPriority() {
        ChannelRegistry registry = new ChannelRegistry();
        registry.replace(List.of(channel(1, "anthropic", 100), channel(2, "openai", 0, "gpt-4o"),
                channel(3, "openai", 50), channel(4, "anthropic", 0, "gpt-4o"), channel(5, "anthropic", 7, "gpt-4o")));

        Route route = registry.route("default", "gpt-4o", ANTHROPIC, OPENAI);

        assertThat(ids(route.tiers())).containsExactly(5L, 4L, 2L, 1L, 3L);
        assertThat(ids(route.nativeTiers())).containsExactly(5L, 4L, 1L);
        assertThat(route.hasTranslated()).isTrue();
        assertThat(route.translatedFirst()).isFalse();
        assertThat(registry.route("default", "gpt-4o", Set.of("ideogram"), ANTHROPIC).translatedFirst()).isTrue();
        assertThat(ids(registry.tiers("default", "gpt-4o", OPENAI))).containsExactly(2L, 3L);
        assertThat(registry.route("default", "gpt-4o", Set.of("ideogram"), Set.of())).isSameAs(Route.NONE);
    }

    @Test
    void aCachedLookupAllocatesNothing() {
        ChannelRegistry registry = new ChannelRegistry();
        registry.replace(List.of(channel(1, "anthropic", 0), channel(2, "openai", 0, "gpt-4o")));
        String group = "default";
        String model = "gpt-4o";
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Route first = registry.route(group, model, ANTHROPIC, OPENAI);
        for (int i = 0; i < 20_000; i++) {
            registry.route(group, model, ANTHROPIC, OPENAI);
        }

        long before = threads.getCurrentThreadAllocatedBytes();
        Route last = null;
        for (int i = 0; i < 100_000; i++) {
            last = registry.route(group, model, ANTHROPIC, OPENAI);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(last).isSameAs(first);
        // Well under one byte per lookup: the measuring itself may allocate a little.
        assertThat(allocated).isLessThan(10_000);
    }
}
