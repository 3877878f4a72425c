package dev.antler.openai;

import static java.util.Objects.requireNonNull;

import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.core.GatewayException;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.Intent;
import dev.antler.relay.Operation;
import dev.antler.relay.ResponseTap;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelRegistry;
import dev.antler.sse.SseEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;

/**
 * One of the Responses API's calls on a stored response — retrieve (streamed again with {@code ?stream=true}),
 * delete, cancel, list its input items — for its creator only ({@link ResponseOwners}), relayed to the channel that
 * created it, which alone holds it. OpenAI charges nothing for these: the call is logged at zero.
 */
final class StoredResponseCall implements Operation<StoredResponseCall.Target> {

    /** The model logged for a response recorded without one. */
    private static final String UNKNOWN_MODEL = "unknown";

    /**
     * The response asked about, the query string to pass on (null for none) and the channel that holds the response
     * (null until {@link #locate located}).
     */
    record Target(String responseId, String query, Long channelId) {}

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
    private final ResponseOwners owners;
    private final ChannelRegistry channels;

    StoredResponseCall(Action action, ResponseOwners owners, ChannelRegistry channels) {
        this.action = requireNonNull(action, "action");
        this.owners = requireNonNull(owners, "owners");
        this.channels = requireNonNull(channels, "channels");
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

    @Override
    public boolean free() {
        return true;
    }

    /** The response's id from the path ({@link ResponseRoutes} routed it); its model is known once located. */
    @Override
    public Intent<Target> inspect(ClientRequest request) {
        String rest = request.path().substring(ResponseRoutes.PREFIX.length());
        String id = rest.substring(0, rest.length() - action.suffix.length());
        boolean stream = action == Action.RETRIEVE && request.query() != null
                && Arrays.asList(request.query().split("&")).contains("stream=true");
        return new Intent<>(UNKNOWN_MODEL, stream, new Target(id, request.query(), null));
    }

    @Override
    public boolean locates() {
        return true;
    }

    /** The response's model and channel, when {@code userId} created it; else a 404, as for an unknown id. */
    @Override
    public Intent<Target> locate(Intent<Target> intent, long userId) {
        Target target = intent.details();
        ResponseOwners.Owner owner = owners.find(target.responseId())
                .filter(o -> o.userId() == userId)
                .orElseThrow(() -> notFound(target.responseId()));
        if (channels.find(owner.channelId()).isEmpty()) {
            throw GatewayException.notFound("response_not_found", "response_id: " + target.responseId()
                    + " (the channel that created it no longer exists)");
        }
        String model = owner.model() == null ? UNKNOWN_MODEL : owner.model();
        return new Intent<>(model, intent.stream(), new Target(target.responseId(), target.query(), owner.channelId()));
    }

    @Override
    public Long pinnedChannel(Intent<Target> intent) {
        return intent.details().channelId();
    }

    static GatewayException notFound(String id) {
        return GatewayException.notFound("response_not_found", "response_id: " + id
                + " (expected: the id of a response this key's user created through this gateway)");
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
