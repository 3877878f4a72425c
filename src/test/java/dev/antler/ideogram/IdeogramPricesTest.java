package dev.antler.ideogram;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Price;
import dev.antler.billing.Usd;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every price key the family can ask for has a built-in list price. */
class IdeogramPricesTest {

    private final Map<String, Price> table = new IdeogramFamily().defaultPrices();

    @Test
    void everyLegacyModelOfEveryLegacyEndpointIsPriced() {
        for (String model : IdeogramEnums.LEGACY_MODELS) {
            assertThat(table).containsKey(IdeogramPrices.legacy(IdeogramEndpoint.GENERATE, model));
            assertThat(table).containsKey(IdeogramPrices.legacy(IdeogramEndpoint.REMIX, model));
        }
        for (String model : IdeogramEnums.EDIT_MODELS) {
            assertThat(table).containsKey(IdeogramPrices.legacy(IdeogramEndpoint.EDIT, model));
        }
        assertThat(table.get(IdeogramPrices.UPSCALE).perImage()).isEqualTo(Usd.parse("0.06"));
        assertThat(table.get(IdeogramPrices.DESCRIBE).perCall()).isEqualTo(Usd.parse("0.01"));
        assertThat(table.get(IdeogramPrices.OTHER).perCall()).isNotNull();
        assertThat(table.get("ideogram/generate/V_2").perImage()).isEqualTo(Usd.parse("0.08"));
        assertThat(table.get("ideogram/edit/V_2_TURBO").perImage()).isEqualTo(Usd.parse("0.05"));
    }

    @Test
    void everyRenderingSpeedOfEveryV3EndpointIsPriced() {
        for (IdeogramEndpoint endpoint : IdeogramEndpoint.values()) {
            if (!endpoint.isV3()) {
                continue;
            }
            for (String speed : IdeogramEnums.RENDERING_SPEEDS) {
                assertThat(table).containsKey(IdeogramPrices.v3(endpoint, speed, false));
                if (endpoint.takesCharacterReferences()) {
                    assertThat(table).containsKey(IdeogramPrices.v3(endpoint, speed, true));
                }
            }
        }
        assertThat(table.get("ideogram/v3/generate/TURBO").perImage()).isEqualTo(Usd.parse("0.03"));
        assertThat(table.get("ideogram/v3/remix/DEFAULT").perImage()).isEqualTo(Usd.parse("0.06"));
        assertThat(table.get("ideogram/v3/edit/QUALITY").perImage()).isEqualTo(Usd.parse("0.09"));
        assertThat(table.get("ideogram/v3/generate/QUALITY/character").perImage()).isEqualTo(Usd.parse("0.20"));
    }
}
