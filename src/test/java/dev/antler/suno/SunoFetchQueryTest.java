package dev.antler.suno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.antler.core.GatewayException;
import dev.antler.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class SunoFetchQueryTest {

    static ObjectNode json(String text) {
        return (ObjectNode) Json.MAPPER.readTree(text.replace('\'', '"'));
    }

    @Test
    void readsIdsAndTheOptionalAction() {
        SunoFetchQuery q = SunoFetchQuery.of(json("{'ids':['task_1','task_2'],'action':'music'}"));
        assertThat(q.ids()).containsExactly("task_1", "task_2");
        assertThat(q.action()).isEqualTo("MUSIC");
        SunoFetchQuery none = SunoFetchQuery.of(json("{}"));
        assertThat(none.ids()).isEmpty();
        assertThat(none.action()).isNull();
    }

    @Test
    void refusesWhatIsNotAListOfIds() {
        GatewayException notArray = catchThrowableOfType(GatewayException.class,
                () -> SunoFetchQuery.of(json("{'ids':'task_1'}")));
        assertThat(notArray.code()).isEqualTo("invalid_ids");
        assertThat(notArray.getMessage()).startsWith("ids: STRING (expected: ");
        assertThat(catchThrowableOfType(GatewayException.class, () -> SunoFetchQuery.of(json("{'ids':['a',3]}")))
                .getMessage()).startsWith("ids[1]: 3");
        StringBuilder many = new StringBuilder("{'ids':[");
        for (int i = 0; i <= SunoFetchQuery.MAX_IDS; i++) {
            many.append(i == 0 ? "" : ",").append("'t").append(i).append("'");
        }
        assertThat(catchThrowableOfType(GatewayException.class, () -> SunoFetchQuery.of(json(many + "]}"))).code())
                .isEqualTo("too_many_ids");
        assertThat(catchThrowableOfType(GatewayException.class, () -> SunoFetchQuery.of(json("{'action':1}"))).code())
                .isEqualTo("invalid_action");
    }
}
