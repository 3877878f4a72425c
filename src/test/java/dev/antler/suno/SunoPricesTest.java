package dev.antler.suno;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Price;
import dev.antler.billing.Usd;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every model a Suno or Udio call is priced as has a per-call default. */
class SunoPricesTest {

    private final Map<String, Price> table = SunoPrices.defaults();

    @Test
    void everyDocumentedModelVersionCostsWhatNewApiChargesForAMusicCall() {
        assertThat(SunoPrices.CHIRP_VERSIONS).containsExactly("chirp-v3-0", "chirp-v3-5", "chirp-v4", "chirp-auk",
                "chirp-bluejay", "chirp-crow", "chirp-fenix");
        for (String mv : SunoPrices.CHIRP_VERSIONS) {
            assertThat(table.get(mv).perCall()).as(mv).isEqualTo(Usd.parse("0.30"));
        }
        assertThat(table.get(SunoAction.MUSIC_FALLBACK_MODEL).perCall()).isEqualTo(Usd.parse("0.30"));
        assertThat(table.get("suno_lyrics").perCall()).isEqualTo(Usd.parse("0.01"));
        assertThat(table.get("suno_stems_all").perCall()).isEqualTo(Usd.parse("1.50"));
    }

    @Test
    void everyActionModelAndUdioModelIsPricedPerCallOnly() {
        for (SunoAction action : SunoAction.values()) {
            if (action.model() != null) {
                assertThat(table).as(action.name()).containsKey(action.model());
            }
        }
        assertThat(table).containsKeys(SunoAction.STEMS_MODEL, SunoAction.STEMS_ALL_MODEL, UdioSubmit.FALLBACK_MODEL);
        for (String model : SunoPrices.UDIO_MODELS) {
            assertThat(table).containsKey(model);
        }
        assertThat(table.get("udio130-v1.5").perCall()).isEqualTo(2 * table.get("udio32-v1.5").perCall());
        for (Map.Entry<String, Price> e : table.entrySet()) {
            Price p = e.getValue();
            assertThat(p.perCall()).as(e.getKey()).isPositive();
            assertThat(p.hasTokenPrice() || p.perImage() != null || p.perSecond() != null).as(e.getKey()).isFalse();
        }
    }
}
