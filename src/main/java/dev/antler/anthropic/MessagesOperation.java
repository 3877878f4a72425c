package dev.antler.anthropic;

import dev.antler.billing.CostCalculator;
import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.json.Json;
import dev.antler.openai.OpenAiUpstream;
import dev.antler.relay.ClientRequest;
import dev.antler.relay.HoldBasis;
import dev.antler.relay.Intent;
import dev.antler.relay.Operation;
import dev.antler.relay.OutputLimit;
import dev.antler.relay.RequestBody;
import dev.antler.relay.ResponseTap;
import dev.antler.relay.UpstreamRequest;
import dev.antler.routing.Channel;
import dev.antler.tokens.TokenEstimator;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/messages} and {@code POST /v1/messages/count_tokens}: relayed natively to
 * {@code anthropic} channels; a Messages request for a model only OpenAI-format channels serve is
 * translated to chat completions and the answer back ({@link MessagesToChat}, {@link ChatToMessagesTap});
 * count_tokens for such a model is estimated locally.
 */
final class MessagesOperation implements Operation<MessagesRequest> {

    static final String ANTHROPIC = "anthropic";
    private static final Set<String> NATIVE = Set.of(ANTHROPIC);
    private static final Set<String> TRANSLATED = Set.of("openai");

    private final String path;
    private final boolean countTokens;

    private MessagesOperation(String path, boolean countTokens) {
        this.path = path;
        this.countTokens = countTokens;
    }

    static MessagesOperation messages() {
        return new MessagesOperation("/v1/messages", false);
    }

    static MessagesOperation countTokens() {
        return new MessagesOperation("/v1/messages/count_tokens", true);
    }

    @Override
    public boolean auxiliary() {
        return countTokens;
    }

    @Override
    public String name() {
        return countTokens ? "messages.count_tokens" : "messages";
    }

    @Override
    public Set<String> channelTypes() {
        return NATIVE;
    }

    @Override
    public Set<String> translatedChannelTypes() {
        return TRANSLATED;
    }

    /**
     * count_tokens routed to an OpenAI-format channel (one that names the model, or the only kind serving
     * it): estimated here (o200k), since those upstreams cannot count.
     */
    @Override
    public boolean answersLocally() {
        return countTokens;
    }

    /** count_tokens is free: a user without balance may still count. */
    @Override
    public long minimumHold() {
        return countTokens ? 0 : 1;
    }

    @Override
    public byte[] localAnswer(Intent<MessagesRequest> intent) {
        if (!countTokens) {
            return null;
        }
        MessagesRequest request = intent.details();
        long estimate = AnthropicTap.promptEstimate(request) + TokenEstimator.countStrings(request.tree().path("tools"));
        return Json.bytes(Json.object().put("input_tokens", estimate));
    }

    @Override
    public void checkTranslatable(Intent<MessagesRequest> intent) {
        MessagesRequest request = intent.details();
        MessagesToChat.translate(request, request.model());
    }

    @Override
    public BodyKind bodyKind() {
        return BodyKind.JSON;
    }

    @Override
    public Intent<MessagesRequest> inspect(ClientRequest request) {
        return read((RequestBody.InMemory) request.body());
    }

    private Intent<MessagesRequest> read(RequestBody.InMemory json) {
        json.reserveTree(); // the whole request is parsed into a tree, held until the answer ends
        MessagesRequest parsed = MessagesRequest.parse(json.bytes(), !countTokens);
        return new Intent<>(parsed.model(), parsed.stream() && !countTokens, parsed);
    }

    @Override
    public long holdEstimate(Intent<MessagesRequest> intent, Price price, HoldBasis basis) {
        if (countTokens) {
            return 0;
        }
        MessagesRequest request = intent.details();
        long prompt = AnthropicPrompt.tokens(request.tree(), basis.billing(), basis.tokenizer());
        return CostCalculator.baseCost(price, Usage.tokens(prompt, basis.outputTokens(request.maxTokens())));
    }

    @Override
    public OutputLimit<MessagesRequest> outputLimit(Intent<MessagesRequest> intent, HoldBasis basis) {
        MessagesRequest request = intent.details();
        return countTokens ? null
                : new OutputLimit<>("max_tokens", basis.outputTokens(request.maxTokens()), 1,
                        tokens -> lowered(request, tokens));
    }

    private Intent<MessagesRequest> lowered(MessagesRequest request, long tokens) {
        ObjectNode tree = request.tree().deepCopy();
        tree.put("max_tokens", tokens);
        return read(RequestBody.InMemory.rewritten(Json.bytes(tree)));
    }

    @Override
    public UpstreamRequest upstreamRequest(Intent<MessagesRequest> intent, Channel channel, ClientRequest client) {
        MessagesRequest request = intent.details();
        String upstreamModel = channel.upstreamModel(intent.model());
        if (!channel.type().equals(ANTHROPIC)) {
            byte[] body = MessagesToChat.translate(request, upstreamModel);
            return UpstreamRequest.post(OpenAiUpstream.url(channel, "/v1/chat/completions"),
                    OpenAiUpstream.headers(channel, client.headers(), "application/json"),
                    new UpstreamRequest.Bytes(body));
        }
        byte[] body = request.body();
        if (!upstreamModel.equals(intent.model())) {
            ObjectNode renamed = request.tree().deepCopy();
            renamed.put("model", upstreamModel);
            body = Json.bytes(renamed);
        }
        return UpstreamRequest.post(AnthropicUpstream.url(channel, path),
                AnthropicUpstream.headers(channel, client.headers()), new UpstreamRequest.Bytes(body));
    }

    @Override
    public ResponseTap newTap(Intent<MessagesRequest> intent, Channel channel) {
        return channel.type().equals(ANTHROPIC) ? new AnthropicTap(intent.details(), countTokens)
                : new ChatToMessagesTap(intent.details());
    }
}
