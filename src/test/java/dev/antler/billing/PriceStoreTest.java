package dev.antler.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.TestDatabases;
import dev.antler.testing.TestDatabases.Engine;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PriceStoreTest {

    @RegisterExtension
    static final TestDatabases databases = new TestDatabases();

    private static PriceStore store(Engine engine) {
        return new PriceStore(databases.open(engine),
                Clock.fixed(Instant.parse("2025-01-02T03:04:05Z"), ZoneOffset.UTC));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void putsUpdatesAndDeletesPrices(Engine engine) {
        PriceStore store = store(engine);
        Price tokens = new Price(150_000_000L, 600_000_000L, 75_000_000L, 187_500_000L, 1L, 2L, 3L);
        store.put("crud-model", tokens);
        assertThat(store.all()).containsEntry("crud-model", tokens);

        Price changed = Price.tokens("0.20", "0.80");
        store.put("crud-model", changed);
        assertThat(store.all()).containsEntry("crud-model", changed);
        assertThat(store.all().keySet()).filteredOn("crud-model"::equals).hasSize(1);

        assertThat(store.delete("crud-model")).isTrue();
        assertThat(store.delete("crud-model")).isFalse();
        assertThat(store.all()).doesNotContainKey("crud-model");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void keepsNullComponentsNullAndZeroComponentsZero(Engine engine) {
        PriceStore store = store(engine);
        store.put("nulls-image", Price.perImage("0.04"));
        store.put("nulls-call", Price.perCall("0"));
        store.put("nulls-embedding", Price.tokens("0.02", "0"));
        store.put("nulls-none", new Price(null, null, null, null, null, null, null));

        assertThat(store.all())
                .containsEntry("nulls-image", new Price(null, null, null, null, 40_000_000L, null, null))
                .containsEntry("nulls-call", new Price(null, null, null, null, null, 0L, null))
                .containsEntry("nulls-embedding", new Price(20_000_000L, 0L, null, null, null, null, null))
                .containsEntry("nulls-none", new Price(null, null, null, null, null, null, null));

        store.put("nulls-image", Price.perSecond("0.0001"));
        assertThat(store.all()).containsEntry("nulls-image", new Price(null, null, null, null, null, null, 100_000L));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void listsPricesByModelName(Engine engine) {
        PriceStore store = store(engine);
        store.put("order-b", Price.perCall("0.01"));
        store.put("order-a", Price.perCall("0.01"));
        store.put("order-c", Price.perCall("0.01"));
        assertThat(store.all().keySet()).filteredOn(m -> m.startsWith("order-"))
                .containsExactly("order-a", "order-b", "order-c");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void keepsModelNamesThatDifferOnlyInCaseApart(Engine engine) {
        PriceStore store = store(engine);
        store.put("case-gpt", Price.perCall("0.01"));
        store.put("CASE-GPT", Price.perCall("0.02"));
        assertThat(store.all())
                .containsEntry("case-gpt", Price.perCall("0.01"))
                .containsEntry("CASE-GPT", Price.perCall("0.02"));
    }
}
