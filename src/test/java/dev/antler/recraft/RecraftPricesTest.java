package dev.antler.recraft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Price;
import dev.antler.billing.Usd;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every price key the family can ask for has a built-in list price (Recraft's 2026 list). */
class RecraftPricesTest {

    private final Map<String, Price> table = new RecraftFamily().defaultPrices();

    @Test
    void everyModelOfEveryEndpointIsPriced() {
        for (RecraftEndpoint endpoint : RecraftEndpoint.values()) {
            if (endpoint.takesModel()) {
                endpoint.models().forEach(model -> assertThat(table.get(RecraftPrices.key(endpoint, model)).perImage())
                        .as(endpoint + " " + model).isPositive());
            } else {
                assertThat(table.get(RecraftPrices.key(endpoint, null)).perCall()).as(endpoint.name()).isPositive();
            }
        }
    }

    @Test
    void theListPrices() {
        assertThat(table.get("recraft/recraftv4/raster").perImage()).isEqualTo(Usd.parse("0.04"));
        assertThat(table.get("recraft/recraftv4/vector").perImage()).isEqualTo(Usd.parse("0.08"));
        assertThat(table.get("recraft/recraftv4_pro/raster").perImage()).isEqualTo(Usd.parse("0.25"));
        assertThat(table.get("recraft/recraftv4_pro/vector").perImage()).isEqualTo(Usd.parse("0.30"));
        assertThat(table.get("recraft/recraftv2/raster").perImage()).isEqualTo(Usd.parse("0.022"));
        assertThat(table.get("recraft/recraftv2/vector").perImage()).isEqualTo(Usd.parse("0.044"));
        assertThat(table.get("recraft/inpaint/recraftv3/vector").perImage()).isEqualTo(Usd.parse("0.08"));
        assertThat(table.get("recraft/vectorize").perCall()).isEqualTo(Usd.parse("0.01"));
        assertThat(table.get("recraft/removeBackground").perCall()).isEqualTo(Usd.parse("0.01"));
        assertThat(table.get("recraft/crispUpscale").perCall()).isEqualTo(Usd.parse("0.004"));
        assertThat(table.get("recraft/creativeUpscale").perCall()).isEqualTo(Usd.parse("0.25"));
        assertThat(table.get("recraft/eraseRegion").perCall()).isEqualTo(Usd.parse("0.002"));
        assertThat(table.get("recraft/styles").perCall()).isEqualTo(Usd.parse("0.04"));
        assertThat(table).hasSize(8 + 6 + 2 * 3 + 6);
    }
}
