package dev.antler.billing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Group;
import org.junit.jupiter.api.Test;

class CostCalculatorTest {

    private static final Price GPT_4O_MINI = Price.tokens("0.15", "0.60");

    @Test
    void chargesTokensExactly() {
        // 10 × 0.15 USD/Mtok = 1500 nanos; 2 × 0.60 USD/Mtok = 1200 nanos
        assertThat(CostCalculator.baseCost(GPT_4O_MINI, Usage.tokens(10, 2))).isEqualTo(2_700L);
        assertThat(CostCalculator.cost(GPT_4O_MINI, Usage.tokens(10, 2), Group.PPM)).isEqualTo(2_700L);
        assertThat(CostCalculator.baseCost(GPT_4O_MINI, Usage.tokens(1_000_000, 1_000_000))).isEqualTo(750_000_000L);
        assertThat(CostCalculator.baseCost(GPT_4O_MINI, Usage.NONE)).isZero();
    }

    @Test
    void chargesCachedTokensAtTheCachedPrice() {
        Price price = Price.tokens("0.15", "0.60", "0.075");
        // 600 uncached × 150 + 400 cached × 75 + 10 completion × 600 (nanos per token)
        assertThat(CostCalculator.baseCost(price, new Usage(1_000, 10, 400, 0, 0, 0)))
                .isEqualTo(90_000L + 30_000L + 6_000L);
        // without a cached price, cached tokens cost the input price
        assertThat(CostCalculator.baseCost(GPT_4O_MINI, new Usage(1_000, 10, 400, 0, 0, 0)))
                .isEqualTo(150_000L + 6_000L);
        // cached tokens beyond the prompt are not charged twice
        assertThat(CostCalculator.baseCost(price, new Usage(100, 0, 400, 0, 0, 0))).isEqualTo(7_500L);
    }

    @Test
    void chargesCacheWritesAtTheirPriceOrTheInputPrice() {
        Price anthropic = new Price(3_000_000_000L, 15_000_000_000L, 300_000_000L, 3_750_000_000L, null, null, null);
        // 100 prompt × 3000 + 1000 written × 3750 + 10 completion × 15000
        assertThat(CostCalculator.baseCost(anthropic, new Usage(100, 10, 0, 1_000, 0, 0)))
                .isEqualTo(300_000L + 3_750_000L + 150_000L);
        assertThat(CostCalculator.baseCost(GPT_4O_MINI, new Usage(0, 0, 0, 1_000, 0, 0))).isEqualTo(150_000L);
    }

    @Test
    void chargesPerImagePerCallAndPerSecond() {
        assertThat(CostCalculator.baseCost(Price.perImage("0.04"), new Usage(0, 0, 0, 0, 3, 0)))
                .isEqualTo(120_000_000L);
        assertThat(CostCalculator.baseCost(Price.perImage("0.04"), Usage.NONE)).isZero();
        assertThat(CostCalculator.baseCost(Price.perCall("0.01"), Usage.NONE)).isEqualTo(10_000_000L);
        assertThat(CostCalculator.baseCost(Price.perCall("0.01"), Usage.tokens(1_000, 1_000))).isEqualTo(10_000_000L);
        assertThat(CostCalculator.baseCost(Price.perSecond("0.0001"), new Usage(0, 0, 0, 0, 0, 30)))
                .isEqualTo(3_000_000L);
        Price mixed = new Price(150_000_000L, null, null, null, 40_000_000L, 10_000_000L, null);
        assertThat(CostCalculator.baseCost(mixed, new Usage(10, 5, 0, 0, 2, 0)))
                .isEqualTo(1_500L + 80_000_000L + 10_000_000L);
    }

    @Test
    void appliesTheGroupMultiplierRoundingHalfUp() {
        assertThat(CostCalculator.cost(GPT_4O_MINI, Usage.tokens(10, 2), 1_500_000)).isEqualTo(4_050L);
        assertThat(CostCalculator.cost(GPT_4O_MINI, Usage.tokens(10, 2), 800_000)).isEqualTo(2_160L);
        assertThat(CostCalculator.applyMultiplier(7, 1_500_000)).isEqualTo(11L);   // 10.5
        assertThat(CostCalculator.applyMultiplier(3, 800_000)).isEqualTo(2L);      // 2.4
        assertThat(CostCalculator.applyMultiplier(13, 800_000)).isEqualTo(10L);    // 10.4
        assertThat(CostCalculator.applyMultiplier(-7, 1_500_000)).isEqualTo(-11L); // -10.5
        assertThat(CostCalculator.applyMultiplier(2_700, 0)).isZero();
        assertThat(CostCalculator.applyMultiplier(2_700, Group.PPM)).isEqualTo(2_700L);
    }

    @Test
    void roundsEachComponentHalfUpToTheNano() {
        Price half = new Price(500_000L, 500_000L, null, null, null, null, null); // 0.5 nanos per token
        assertThat(CostCalculator.baseCost(half, Usage.tokens(1, 1))).isEqualTo(2L);
        assertThat(CostCalculator.baseCost(half, Usage.tokens(3, 0))).isEqualTo(2L); // 1.5
        Price tiny = new Price(400_000L, null, null, null, null, null, null);        // 0.4 nanos per token
        assertThat(CostCalculator.baseCost(tiny, Usage.tokens(1, 0))).isZero();
    }

    @Test
    void chargesNothingForAbsentOrZeroComponents() {
        Price embedding = Price.tokens("0.02", "0");
        assertThat(CostCalculator.baseCost(embedding, Usage.tokens(1_000, 50))).isEqualTo(20_000L);
        assertThat(CostCalculator.baseCost(new Price(null, null, null, null, null, null, null),
                new Usage(1_000, 1_000, 10, 10, 1, 1))).isZero();
    }
}
