package dev.antler.kling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.billing.Price;
import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Kling's units as functions: its published deductions, its reports read, the hold chosen. */
class KlingUnitsTest {

    private static KlingRequest video(String json) {
        return KlingInput.read(KlingAction.TEXT2VIDEO, (ObjectNode) Json.MAPPER.readTree(json));
    }

    private static Long reported(String dataJson) {
        return KlingUnits.reported(Json.MAPPER.readTree(dataJson));
    }

    @Test
    void klingsPublishedDeductionsByModelModeAndDuration() {
        assertThat(KlingUnits.listed(video("{\"prompt\":\"p\"}"))).as("kling-v1 std 5 s").isEqualTo(1000);
        assertThat(KlingUnits.listed(video("{\"prompt\":\"p\",\"mode\":\"pro\",\"duration\":\"10\"}"))).isEqualTo(7000);
        assertThat(KlingUnits.listed(video("{\"prompt\":\"p\",\"model_name\":\"kling-v2-master\"}"))).isEqualTo(10_000);
        assertThat(KlingUnits.listed(video("{\"prompt\":\"p\",\"model_name\":\"kling-v2-5-turbo\",\"mode\":\"pro\"}")))
                .isEqualTo(2500);
        String v26 = "{\"prompt\":\"p\",\"model_name\":\"kling-v2-6\",\"mode\":\"pro\"";
        assertThat(KlingUnits.listed(video(v26 + "}"))).isEqualTo(2500);
        assertThat(KlingUnits.listed(video(v26 + ",\"sound\":\"on\",\"duration\":\"10\"}"))).isEqualTo(10_000);
        assertThat(KlingUnits.listed(video(v26 + ",\"sound\":\"on\",\"voice_list\":[{\"voice_id\":\"v\"}]}")))
                .isEqualTo(6000);
        assertThat(KlingUnits.listed(video("{\"prompt\":\"p\",\"model_name\":\"kling-v2-6\"}")))
                .as("kling-v2-6 std: not published").isNull();
        assertThat(KlingUnits.listed(KlingInput.read(KlingAction.VIDEO_EXTEND,
                (ObjectNode) Json.MAPPER.readTree("{\"video_id\":\"v\"}")))).isNull();
    }

    @Test
    void klingsReportIsReadExactlyToAThousandthAndOnlyWhenBelievable() {
        assertThat(reported("{\"final_unit_deduction\":\"3.5\"}")).isEqualTo(3500);
        assertThat(reported("{\"final_unit_deduction\":\"0.2505\"}")).as("rounded down").isEqualTo(250);
        assertThat(reported("{\"final_unit_deduction\":2.5}")).as("a relay's number").isEqualTo(2500);
        assertThat(reported("{\"final_unit_deduction\":\"0\"}")).isZero();
        assertThat(reported("{}")).isNull();
        assertThat(reported("{\"final_unit_deduction\":null}")).isNull();
        assertThat(reported("{\"final_unit_deduction\":\"\"}")).isNull();
        assertThat(reported("{\"final_unit_deduction\":\"-1\"}")).isNull();
        assertThat(reported("{\"final_unit_deduction\":\"1e3\"}")).isNull();
        assertThat(reported("{\"final_unit_deduction\":\"100001\"}")).as("above any task's cost").isNull();
        assertThat(reported("{\"final_unit_deduction\":\"0\",\"final_balance_deduction\":{\"quota\":\"0.49\"}}"))
                .as("paid from the cash balance, not in units").isNull();
        assertThat(reported("{\"final_unit_deduction\":\"0\",\"final_balance_deduction\":{\"quota\":\"0\"}}"))
                .isZero();
    }

    @Test
    void theHoldIsKlingsDeductionElseTheOwnPriceInUnitsAndNothingWithoutAUnitPrice() {
        Function<Price, Long> perSecond = p -> p.perSecond() * 5;
        Map<String, Price> prices = Map.of("kling/unit", Price.perCall("0.14"),
                "kling/kling-v2-6/std", Price.perSecond("0.1"));
        Function<String, Optional<Price>> book = key -> Optional.ofNullable(prices.get(key));

        assertThat(KlingUnits.hold(video("{\"prompt\":\"p\"}"), book, perSecond))
                .contains(new KlingUnits.Hold("kling/unit", 1000, true));
        assertThat(KlingUnits.hold(video("{\"prompt\":\"p\",\"model_name\":\"kling-v2-6\"}"), book, perSecond))
                .as("0.5 USD at 0.14 a unit: 3.572 units, rounded up to the thousandth")
                .contains(new KlingUnits.Hold("kling/unit", 3572, false));
        assertThat(KlingUnits.hold(video("{\"prompt\":\"p\"}"), key -> Optional.empty(), perSecond)).isEmpty();
        assertThatThrownBy(() -> KlingUnits.hold(video("{\"prompt\":\"p\",\"model_name\":\"kling-v2-6\"}"),
                key -> key.equals("kling/unit") ? Optional.of(Price.perCall("0.14")) : Optional.empty(), perSecond))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.status()).isEqualTo(503))
                .hasMessageContaining("price: kling/kling-v2-6/std (model kling-v2-6) has no price set");
        assertThat(KlingUnits.milliPrice(Price.perCall("0.123456789"))).as("rounded down").isEqualTo(123_456);
        assertThat(KlingUnits.format(3500)).isEqualTo("3.5");
        assertThat(KlingUnits.format(10_000)).isEqualTo("10");
    }
}
