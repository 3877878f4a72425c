package dev.antler.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ListsTest {

    @Test
    void joinsWithCommas() {
        assertThat(Lists.join(List.of("gpt-4o", "gpt-4o-mini"))).isEqualTo("gpt-4o,gpt-4o-mini");
        assertThat(Lists.join(List.of())).isEmpty();
    }

    @Test
    void splitsKeepingOrderAndDroppingBlanksAndDuplicates() {
        assertThat(Lists.split(" b , a,,b ,")).containsExactly("b", "a");
        assertThat(Lists.split("")).isEmpty();
        assertThat(Lists.split("   ")).isEmpty();
        assertThat(Lists.split(null)).isEmpty();
    }
}
