package dev.antler.testing;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Raw HTTP calls the way Anthropic's clients make them: the key in {@code x-api-key}, with {@code anthropic-version}. */
public final class AnthropicHttp {

    private AnthropicHttp() {}

    public static HttpResponse<String> post(GatewayHarness gateway, String path, String key, String json) {
        return RawHttp.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + path))
                .header("x-api-key", key).header("anthropic-version", "2023-06-01")
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }
}
