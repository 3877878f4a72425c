package dev.antler.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.testing.LeakScanLast;
import dev.antler.testing.SuiteAnswers;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * After every other test: no answer the suite's gateways gave (headers and body, through the harness's client) holds
 * an upstream's key, and none of the families whose results the gateway serves names the address of one of that
 * gateway's upstreams. Ideogram,
 * Recraft, OpenAI images and Suno pass their providers' public CDN links on when mirroring is off (documented), so
 * only keys are looked for in theirs.
 */
@LeakScanLast.RunsLast
class AnswerLeakScanTest {

    /** Routes whose answers never name the provider: the gateway serves every result link of theirs. */
    private static final List<String> GATEWAY_LINKED = List.of("/v1/videos", "/v1/video/generations", "/kling/",
            "/flux/", "/replicate/", "/runway/", "/runwayml/", "/dream-machine/", "/luma/", "/pika/", "/minimax/",
            "/results/", "/mj/");

    @Test
    void noAnswerHoldsAnUpstreamKeyOrAServedFamilysUpstreamAddress() {
        List<SuiteAnswers.Answer> answers = SuiteAnswers.answers();
        List<String> leaks = new ArrayList<>();
        for (SuiteAnswers.Answer answer : answers) {
            for (String key : SuiteAnswers.upstreamKeys()) {
                if (answer.text().contains(key)) {
                    leaks.add(answer.request() + " -> " + answer.status() + ": an upstream key");
                }
            }
            String path = answer.request().substring(answer.request().indexOf(' ') + 1);
            if (GATEWAY_LINKED.stream().anyMatch(path::startsWith)) {
                for (String address : answer.upstreams()) {
                    if (!address.equals(answer.gateway()) && answer.text().contains(address)) {
                        leaks.add(answer.request() + " -> " + answer.status() + ": upstream " + address);
                    }
                }
            }
        }
        assertThat(leaks).as("answers scanned: " + answers.size()).isEmpty();
    }
}
