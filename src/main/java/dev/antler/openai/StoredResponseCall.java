package dev.antler.openai;

import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.Intent;
import dev.antler.relay.Operation;
import dev.antler.relay.ResponseTap;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.sse.SseEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * One of the Responses API's calls on a stored response — retrieve (streamed again with {@code ?stream=true}),
 * delete, cancel, list its input items — relayed to the channel that created it, which alone holds it. OpenAI
 * charges nothing for these: the call is logged at zero. Its details are the response's id and the client's query.
 */
final class StoredResponseCall implements Operation<StoredResponseCall.Target> {

    /** The response asked about and the query string to pass on (null for none). */
    record Target(String responseId, String query) {}

    enum Action {
        RETRIEVE("GET", "", "responses.retrieve"),
        DELETE("DELETE", "", "responses.delete"),
        CANCEL("POST", "/cancel", "responses.cancel"),
        INPUT_ITEMS("GET", "/input_items", "responses.input_items");

        final String method;
        final String suffix;
        final String operationName;

        Action(String method, String suffix, String operationName) {
            this.method = method;
            this.suffix = suffix;
            this.operationName = operationName;
        }
    }

    private static final Set<String> CHANNEL_TYPES = Set.of(OpenAiFamily.CHANNEL_TYPE.name());

    private final Action action;

    StoredResponseCall(Action action) {
        this.action = action;
    }

    @Override
    public String name() {
        return action.operationName;
    }

    @Override
    public Set<String> channelTypes() {
        return CHANNEL_TYPES;
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.NONE;
    }

    @Override
    public long minimumHold() {
        return 0;
    }

    /** Not used: the route builds the intent from the stored response ({@link ResponseRoutes}). */
    @Override
    public Intent<Target> inspect(ClientRequest request) {
        throw new UnsupportedOperationException("a stored response's call is relayed with Relay.relayTo");
    }

    @Override
    public long holdEstimate(Intent<Target> intent, Price price, HoldBasis basis) {
        return 0;
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<Target> intent, Channel channel, ClientRequest client) {
        Target target = intent.details();
        String path = "/v1/responses/" + URLEncoder.encode(target.responseId(), StandardCharsets.UTF_8) + action.suffix;
        String url = OpenAiUpstream.url(channel, path) + (target.query() == null ? "" : "?" + target.query());
        return new UpstreamRequest(action.method, url, OpenAiUpstream.headers(channel, client.headers(), null),
                new UpstreamRequest.Empty());
    }

    @Override
    public ResponseTap newTap(Intent<Target> intent, Channel channel) {
        return new FreeTap();
    }

    /** Bills nothing; knows when a retrieved stream's own last event went out (no error event after it). */
    private static final class FreeTap implements ResponseTap {

        private boolean streamEnded;

        @Override
        public boolean onEvent(SseEvent event) {
            streamEnded |= event.event() != null && OpenAiTap.RESPONSE_ENDS.contains(event.event());
            return true;
        }

        @Override
        public boolean streamEndRendered() {
            return streamEnded;
        }

        @Override
        public Metered meter() {
            return new Metered(Usage.NONE, "none");
        }
    }
}
