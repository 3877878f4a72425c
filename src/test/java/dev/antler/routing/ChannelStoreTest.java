package dev.antler.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Status;
import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ChannelStoreTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private static ChannelStore store(Engine engine) {
        return new ChannelStore(databases.open(engine),
                Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC));
    }

    private static Channel channel(String name) {
        return new Channel(0, name, "openai", "https://api.openai.com", "sk-upstream-" + name,
                new LinkedHashSet<>(List.of("gpt-4o-mini", "text-embedding-3-small")),
                Map.of("gpt-4o-mini", "gpt-4o-mini-2024-07-18"), 0, 1, Set.of("default"), Status.ACTIVE, null);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void upsertInsertsThenUpdatesByName(Engine engine) {
        ChannelStore store = store(engine);
        Channel inserted = store.upsert(channel("upsert-main"));
        assertThat(inserted.id()).isPositive();
        assertThat(inserted).usingRecursiveComparison().ignoringFields("id").isEqualTo(channel("upsert-main"));
        assertThat(inserted.apiKey()).isEqualTo("sk-upstream-upsert-main");

        Channel changed = new Channel(0, "upsert-main", "anthropic", "https://api.anthropic.com", "sk-ant-new",
                Set.of("claude-sonnet-4-5"), Map.of(), 5, 3, Set.of("default", "vip"), Status.DISABLED, "429 storm");
        Channel updated = store.upsert(changed);

        assertThat(updated.id()).isEqualTo(inserted.id());
        assertThat(updated).usingRecursiveComparison().ignoringFields("id").isEqualTo(changed);
        assertThat(store.findByName("upsert-main")).contains(updated);
        assertThat(store.list()).filteredOn(c -> c.name().equals("upsert-main")).containsExactly(updated);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void roundTripsTheModelMappingAsJson(Engine engine) {
        ChannelStore store = store(engine);
        Map<String, String> mapping = new LinkedHashMap<>();
        mapping.put("gpt-4o-mini", "gpt-4o-mini-2024-07-18");
        mapping.put("claude \"quoted\"", "caf\u00e9 \u2615 \\ / {}");
        mapping.put("", "empty-key");
        Channel stored = store.upsert(new Channel(0, "mapping-json", "openai", "", "", Set.of(), mapping, 0, 1,
                Set.of("default"), Status.ACTIVE, null));

        assertThat(stored.modelMapping()).isEqualTo(mapping);
        assertThat(stored.upstreamModel("gpt-4o-mini")).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(stored.models()).isEmpty();
        assertThat(stored.baseUrl()).isEmpty();

        Channel unmapped = store.upsert(new Channel(0, "mapping-empty", "openai", "", "", Set.of(), Map.of(), 0, 1,
                Set.of("default"), Status.ACTIVE, null));
        assertThat(unmapped.modelMapping()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void updatesByIdIncludingARename(Engine engine) {
        ChannelStore store = store(engine);
        Channel inserted = store.upsert(channel("update-old"));
        Channel renamed = new Channel(inserted.id(), "update-new", "openai", "https://example.test/v1", "sk-rotated",
                Set.of("gpt-4o"), Map.of("gpt-4o", "gpt-4o-2024-08-06"), -1, 100, Set.of("vip"), Status.ACTIVE,
                "re-enabled");

        assertThat(store.update(renamed)).isEqualTo(renamed);
        assertThat(store.find(inserted.id())).contains(renamed);
        assertThat(store.findByName("update-old")).isEmpty();
        assertThat(store.findByName("update-new")).contains(renamed);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void deletesById(Engine engine) {
        ChannelStore store = store(engine);
        Channel kept = store.upsert(channel("delete-kept"));
        Channel gone = store.upsert(channel("delete-gone"));

        assertThat(store.delete(gone.id())).isTrue();
        assertThat(store.delete(gone.id())).isFalse();
        assertThat(store.find(gone.id())).isEmpty();
        assertThat(store.findByName("delete-gone")).isEmpty();
        assertThat(store.find(kept.id())).contains(kept);
        assertThat(store.list()).contains(kept).doesNotContain(gone);
        assertThat(store.list()).extracting(Channel::id).isSorted();
    }
}
