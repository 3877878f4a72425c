package dev.antler.midjourney;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.Status;
import dev.antler.billing.Price;
import dev.antler.config.BillingConfig;
import dev.antler.json.Json;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.Headers;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.Intent;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.tasks.SubmitReply;
import dev.antler.tasks.TaskStatus;
import dev.antler.testing.RequestBodies;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The Midjourney submit as plain functions: the client's request in, the upstream request out, its answer read. */
class MjSubmitOperationTest {

    private static final String CLIENT_KEY = "sk-client-mj-unit-0001";
    private static final Channel CHANNEL = new Channel(7, "mj-east", "midjourney", "https://mj.test/proxy/",
            "mj-channel-secret-0001", Set.of(), Map.of(), 0, 1, Set.of("default"), Status.ACTIVE, null);
    private static final String FOX = "{\"prompt\":\"a red fox --ar 16:9\",\"notifyHook\":\"https://hooks.test/mj\"}";

    private static ClientRequest client(String path, String json) {
        return ClientRequest.post(path, Headers.of("Authorization", "Bearer " + CLIENT_KEY, "mj-api-secret", CLIENT_KEY,
                "Host", "gateway.test:8080", "Content-Type", "application/json"), RequestBodies.json(json));
    }

    private static Intent<MjSubmitOperation.Submit> imagine(MjSubmitOperation operation) {
        return operation.inspect(client("/mj-relax/mj/submit/imagine", FOX));
    }

    private static SubmitReply read(String status, String body) {
        return read(Integer.parseInt(status), body);
    }

    private static SubmitReply read(int status, String body) {
        MjSubmitOperation operation = new MjSubmitOperation("submit/imagine", null, null);
        return operation.read(operation.inspect(client("/mj/submit/imagine", FOX)), CHANNEL, status,
                body.getBytes(UTF_8));
    }

    @Test
    void theUpstreamRequestCarriesTheChannelsSecretAndTheSpeedPrefixNeverTheClientsKey() {
        MjSubmitOperation operation = new MjSubmitOperation("submit/imagine", "relax", null);
        ClientRequest client = client("/mj-relax/mj/submit/imagine", FOX);
        Intent<MjSubmitOperation.Submit> intent = operation.inspect(client);
        assertThat(intent.model()).isEqualTo("mj_imagine");
        assertThat(intent.priceKey()).isEqualTo("mj_imagine_relax");
        assertThat(operation.priceKeys(intent)).containsExactly("mj_imagine_relax", "mj_imagine");
        assertThat(operation.endpoint(intent)).isEqualTo("mj.imagine");
        assertThat(intent.details().baseUrl()).isEqualTo("http://gateway.test:8080");

        UpstreamRequest upstream = operation.upstreamRequest(intent, CHANNEL, client);
        assertThat(upstream.method()).isEqualTo("POST");
        assertThat(upstream.url()).isEqualTo("https://mj.test/proxy/mj-relax/mj/submit/imagine");
        assertThat(upstream.headers().getAll("mj-api-secret")).containsExactly("mj-channel-secret-0001");
        assertThat(upstream.headers().contains("Authorization")).isFalse();
        assertThat(upstream.headers().get("Content-Type")).isEqualTo("application/json");
        upstream.headers().forEach(header -> assertThat(header.getValue()).doesNotContain(CLIENT_KEY));
        JsonNode sent = Json.MAPPER.readTree(RequestBodies.bytes(upstream.body()));
        assertThat(sent.path("prompt").asString()).isEqualTo("a red fox --ar 16:9");
        assertThat(sent.has("notifyHook")).as("the client's hook is the gateway's to call").isFalse();
    }

    @Test
    void withoutASpeedPrefixThePathIsThePlainOneAndAPublicBaseUrlIsUsedForLinks() {
        MjSubmitOperation operation = new MjSubmitOperation("submit/imagine", null, "https://ai.example.com");
        ClientRequest client = client("/mj/submit/imagine", FOX);
        Intent<MjSubmitOperation.Submit> intent = operation.inspect(client);
        assertThat(operation.priceKeys(intent)).containsExactly("mj_imagine");
        assertThat(intent.details().baseUrl()).isEqualTo("https://ai.example.com");
        assertThat(operation.upstreamRequest(intent, CHANNEL, client).url())
                .isEqualTo("https://mj.test/proxy/mj/submit/imagine");
    }

    @Test
    void anImagineIsHeldAtItsPricePerCall() {
        MjSubmitOperation operation = new MjSubmitOperation("submit/imagine", "relax", null);
        Intent<MjSubmitOperation.Submit> intent = imagine(operation);
        assertThat(operation.units(intent)).isEqualTo(1);
        assertThat(operation.unitPrice(Price.perCall("0.025"))).isNull();
        assertThat(operation.holdEstimate(intent, Price.perCall("0.025"), HoldBasis.cheap(BillingConfig.defaults())))
                .isEqualTo(25_000_000L);
    }

    @Test
    void code1IsAcceptedAsSubmitted() {
        SubmitReply reply = read(200, "{\"code\":1,\"description\":\"提交成功\",\"result\":\"1712\","
                + "\"properties\":{\"discordInstanceId\":\"1\"}}");
        assertThat(reply).isInstanceOfSatisfying(SubmitReply.Accepted.class, accepted -> {
            assertThat(accepted.upstreamId()).isEqualTo("1712");
            assertThat(accepted.initial()).isEqualTo(TaskStatus.SUBMITTED);
            assertThat(accepted.units()).as("charged as held").isNull();
        });
    }

    @Test
    void code22IsAcceptedAsQueued() {
        SubmitReply reply = read(200, "{\"code\":22,\"description\":\"排队中，前面还有1个任务\",\"result\":\"1713\"}");
        assertThat(reply).isInstanceOfSatisfying(SubmitReply.Accepted.class, accepted -> {
            assertThat(accepted.upstreamId()).isEqualTo("1713");
            assertThat(accepted.initial()).isEqualTo(TaskStatus.NOT_START);
            assertThat(accepted.units()).isNull();
        });
    }

    @Test
    void code21WithAStatusIsATaskThatAlreadyExistsAndChargesNothing() {
        SubmitReply reply = read(200, "{\"code\":21,\"description\":\"任务已存在\",\"result\":\"1700\","
                + "\"properties\":{\"status\":\"SUCCESS\",\"imageUrl\":\"https://cdn.test/1700.png\"}}");
        assertThat(reply).isInstanceOfSatisfying(SubmitReply.Accepted.class, accepted -> {
            assertThat(accepted.upstreamId()).isEqualTo("1700");
            assertThat(accepted.units()).as("no new work").isZero();
        });
    }

    @Test
    void code21WithoutAStatusIsANewTaskWaitingForTheModal() {
        SubmitReply reply = read(200, "{\"code\":21,\"description\":\"Waiting for window confirm\","
                + "\"result\":\"1714\",\"properties\":{\"finalPrompt\":\"a fox\",\"remix\":true}}");
        assertThat(reply).isInstanceOfSatisfying(SubmitReply.Accepted.class, accepted -> {
            assertThat(accepted.upstreamId()).isEqualTo("1714");
            assertThat(accepted.initial()).isEqualTo(TaskStatus.MODAL);
            assertThat(accepted.units()).as("new work, charged as held").isNull();
        });
    }

    @Test
    void code23IsPassedOnAsTheUpstreamSaidItWithoutItsImageLinks() {
        SubmitReply reply = read("200", "{\"code\":23,\"description\":\"队列已满，请稍后尝试\",\"result\":null,"
                + "\"properties\":{\"numberOfQueues\":10,\"imageUrl\":\"https://cdn.test/x.png\"}}");
        assertThat(reply).isInstanceOfSatisfying(SubmitReply.Refused.class, refused -> {
            assertThat(refused.status()).isEqualTo(200);
            assertThat(refused.why()).isEqualTo("code 23: 队列已满，请稍后尝试");
            JsonNode answer = Json.MAPPER.readTree(refused.answer());
            assertThat(answer.path("code").asInt()).isEqualTo(23);
            assertThat(answer.path("result").isNull()).isTrue();
            assertThat(answer.path("properties").path("numberOfQueues").asInt()).isEqualTo(10);
            assertThat(answer.path("properties").has("imageUrl")).isFalse();
        });
    }

    @Test
    void anAcceptingCodeWithoutATaskIdIsRefusedNotOpened() {
        assertThat(read(200, "{\"code\":1,\"description\":\"ok\",\"result\":\"\"}"))
                .isInstanceOf(SubmitReply.Refused.class);
    }

    @Test
    void aBodyThatIsNotJsonIsAFailureNotTriedElsewhere() {
        SubmitReply reply = read(200, "<html>502 Bad Gateway</html>");
        assertThat(reply).isInstanceOfSatisfying(SubmitReply.Failed.class, failed -> {
            assertThat(failed.tryElsewhere()).as("the upstream may have taken it").isFalse();
            assertThat(failed.error().status()).isEqualTo(502);
            assertThat(failed.error().getMessage()).contains("not a JSON object");
        });
        assertThat(read(200, "[1,2]")).isInstanceOf(SubmitReply.Failed.class);
    }

    @Test
    void a429Or503IsAFailureTriedOnAnotherChannelAndOtherErrorsAreNot() {
        assertThat(read(429, "{\"code\":30,\"description\":\"busy\"}")).isInstanceOfSatisfying(SubmitReply.Failed.class,
                failed -> {
                    assertThat(failed.tryElsewhere()).isTrue();
                    assertThat(failed.error().status()).isEqualTo(429);
                });
        assertThat(read(503, "")).isInstanceOfSatisfying(SubmitReply.Failed.class, failed -> {
            assertThat(failed.tryElsewhere()).isTrue();
            assertThat(failed.error().status()).isEqualTo(502);
        });
        assertThat(read(500, "{\"code\":1,\"result\":\"1\"}")).isInstanceOfSatisfying(SubmitReply.Failed.class,
                failed -> assertThat(failed.tryElsewhere()).as("a 500 may come after the work was taken").isFalse());
        assertThat(read(400, "{}")).isInstanceOfSatisfying(SubmitReply.Failed.class,
                failed -> assertThat(failed.tryElsewhere()).isFalse());
    }

    @Test
    void anUploadIsAnsweredAtOnceAndCharged() {
        MjSubmitOperation upload = new MjSubmitOperation("submit/upload-discord-images", null, null);
        var intent = upload.inspect(client("/mj/submit/upload-discord-images",
                "{\"base64Array\":[\"data:image/png;base64,iVBORw0KGgo=\"]}"));
        byte[] body = "{\"code\":1,\"description\":\"成功\",\"result\":[\"https://cdn.test/u.png\"]}".getBytes(UTF_8);
        assertThat(upload.read(intent, CHANNEL, 200, body)).isInstanceOfSatisfying(SubmitReply.Answered.class,
                answered -> assertThat(answered.charged()).isTrue());
    }
}
