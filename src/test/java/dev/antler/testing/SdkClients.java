package dev.antler.testing;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Official OpenAI SDK clients pointed at a gateway, one per test user (see {@link TestUsers#key}); no retries. */
public final class SdkClients implements AutoCloseable {

    private final GatewayHarness gateway;
    private final Map<String, OpenAIClient> clients = new ConcurrentHashMap<>();

    public SdkClients(GatewayHarness gateway) {
        this.gateway = gateway;
    }

    public OpenAIClient of(String user) {
        return clients.computeIfAbsent(user, u -> OpenAIOkHttpClient.builder()
                .baseUrl(gateway.baseUrl() + "/v1")
                .apiKey(TestUsers.key(u))
                .maxRetries(0)
                .build());
    }

    @Override
    public void close() {
        clients.values().forEach(OpenAIClient::close);
    }
}
