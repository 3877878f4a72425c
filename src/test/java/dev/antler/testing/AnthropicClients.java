package dev.antler.testing;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Official Anthropic SDK clients pointed at a gateway, one per test user (see {@link TestUsers#key}); no retries. */
public final class AnthropicClients implements AutoCloseable {

    private final GatewayHarness gateway;
    private final Map<String, AnthropicClient> clients = new ConcurrentHashMap<>();

    public AnthropicClients(GatewayHarness gateway) {
        this.gateway = gateway;
    }

    public AnthropicClient of(String user) {
        return clients.computeIfAbsent(user, u -> AnthropicOkHttpClient.builder()
                .baseUrl(gateway.baseUrl())
                .apiKey(TestUsers.key(u))
                .maxRetries(0)
                .build());
    }

    @Override
    public void close() {
        clients.values().forEach(AnthropicClient::close);
    }
}
