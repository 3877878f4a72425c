package dev.antler.openai;

import dev.antler.json.JsonRequest;
import dev.antler.relay.RequestBody;
import java.util.Map;

/**
 * What an OpenAI-format operation keeps from the client's request between inspection and settlement.
 *
 * @param json          the parsed JSON body (null for multipart requests)
 * @param textFields    the multipart text fields (empty for JSON requests)
 * @param maxOutput     output tokens the request may produce (max_tokens and its aliases, or the default)
 * @param count         images or choices requested ({@code n}, default 1)
 * @param characters    characters of {@code input} for speech
 * @param uploadBytes   size of the uploaded file for audio
 * @param injectedUsage whether the gateway added {@code stream_options.include_usage}, so the usage chunk is the gateway's
 * @param spooled       the spooled multipart body (null for JSON requests)
 * @param inMemory      the JSON body as read, with its share of the in-flight body budget (null for multipart)
 */
public record OpenAiRequest(OpenAiEndpoint endpoint, JsonRequest json, Map<String, String> textFields, long maxOutput,
                            long count, long characters, long uploadBytes, boolean injectedUsage,
                            RequestBody.Spooled spooled, RequestBody.InMemory inMemory) {

    OpenAiRequest withMaxOutput(long tokens) {
        return new OpenAiRequest(endpoint, json, textFields, tokens, count, characters, uploadBytes, injectedUsage,
                spooled, inMemory);
    }
}
