package dev.antler.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.billing.Usage;
import org.junit.jupiter.api.Test;

/** What each way an answer ends is billed for (the stream billing policy). */
class StreamBillingTest {

    private static final Usage ESTIMATE = new Usage(20, 7, 0, 0, 0, 0);
    private static final ResponseTap.Metered ESTIMATED = ResponseTap.Metered.estimated(ESTIMATE);
    private static final ResponseTap.Metered REPORTED = ResponseTap.Metered.reported(new Usage(21, 9, 5, 0, 0, 0));

    /** The ways a relayed answer ends. */
    private static final EndReason[] RELAYED_ENDS = {EndReason.COMPLETE, EndReason.CLIENT_GONE, EndReason.UPSTREAM_CUT,
            EndReason.TIMEOUT};

    private static ResponseRelay.Outcome outcome(EndReason reason, long delivered, ResponseTap.Metered metered) {
        return new ResponseRelay.Outcome(reason, 200, delivered, metered, null);
    }

    @Test
    void nothingDeliveredIsNothingBilled() {
        for (EndReason reason : RELAYED_ENDS) {
            assertThat(StreamBilling.billed(outcome(reason, 0, REPORTED), true).usage()).isEqualTo(Usage.NONE);
            assertThat(StreamBilling.billed(outcome(reason, 0, REPORTED), false).basis()).isEqualTo("none");
        }
    }

    @Test
    void streamsAreBilledWhatWasMeteredHoweverTheyEnded() {
        for (EndReason reason : RELAYED_ENDS) {
            assertThat(StreamBilling.billed(outcome(reason, 10, ESTIMATED), true)).isEqualTo(ESTIMATED);
            assertThat(StreamBilling.billed(outcome(reason, 10, REPORTED), true)).isEqualTo(REPORTED);
        }
    }

    @Test
    void aCompleteAnswerIsBilledWhatWasMetered() {
        assertThat(StreamBilling.billed(outcome(EndReason.COMPLETE, 10, ESTIMATED), false)).isEqualTo(ESTIMATED);
    }

    @Test
    void aNonStreamedAnswerCutShortIsBilledReportedUsageElseThePromptOnly() {
        for (EndReason reason : new EndReason[] {EndReason.CLIENT_GONE, EndReason.UPSTREAM_CUT, EndReason.TIMEOUT}) {
            assertThat(StreamBilling.billed(outcome(reason, 10, REPORTED), false)).isEqualTo(REPORTED);
            ResponseTap.Metered billed = StreamBilling.billed(outcome(reason, 10, ESTIMATED), false);
            assertThat(billed.usage()).isEqualTo(Usage.tokens(20, 0));
            assertThat(billed.basis()).isEqualTo("estimated");
        }
    }

    @Test
    void theUsageLogNamesEachEndInLowerCase() {
        assertThat(EndReason.values()).extracting(EndReason::logName)
                .containsExactly("complete", "client_gone", "upstream_cut", "timeout", "error");
    }
}
