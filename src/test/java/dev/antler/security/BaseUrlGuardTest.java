package dev.antler.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.antler.files.FileMirror;
import dev.antler.files.DiskStore;
import dev.antler.testing.FakeOpenAi;
import dev.antler.testing.GatewayHarness;
import io.vertx.core.Vertx;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Upstream URLs at the gateway's own network are refused unless the config allows them. */
class BaseUrlGuardTest {

    private final BaseUrlGuard strict = new BaseUrlGuard(false);

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080", "http://localhost:11434/v1", "https://10.1.2.3",
            "http://172.16.0.1", "http://192.168.1.10", "http://169.254.169.254/latest/meta-data",
            "http://100.64.0.1", "http://0.0.0.0:3000", "http://[::1]:8080", "http://[fd00::1]",
            "http://[fe80::1]", "http://[::ffff:127.0.0.1]", "http://2130706433"})
    void privateLoopbackAndLinkLocalAddressesAreRefused(String url) {
        assertThat(strict.refusal(url)).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("a public address (").contains("security.allow_private_base_urls: true"));
        assertThat(new BaseUrlGuard(true).refusal(url)).isEmpty();
    }

    /** Each way of writing an address of the gateway's own network, and the address it stands for. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            http://0x7f000001:8080/v1             | 127.0.0.1
            http://0X7F000001                     | 127.0.0.1
            http://0x7f.0x0.0x0.0x1               | 127.0.0.1
            http://0x7f.1                         | 127.0.0.1
            http://0177.0.0.1                     | 127.0.0.1
            http://0177.1                         | 127.0.0.1
            http://017700000001                   | 127.0.0.1
            http://127.1                          | 127.0.0.1
            http://127.0.1                        | 127.0.0.1
            http://2130706433                     | 127.0.0.1
            http://127.0.0.1.                     | 127.0.0.1
            http://010.0.0.1                      | 10.0.0.1
            http://0xa9fea9fe/latest/meta-data    | 169.254.169.254
            http://2852039166                     | 169.254.169.254
            http://0251.0376.0251.0376            | 169.254.169.254
            http://169.254.169.254.               | 169.254.169.254
            http://100.100.100.200                | 100.100.100.200
            http://100.64.0.1                     | 100.64.0.1
            http://0                              | 0.0.0.0
            http://224.0.0.1                      | 224.0.0.1
            http://192.0.0.192                    | 192.0.0.192
            http://localhost.:11434               | 127.0.0.1
            http://LOCALHOST                      | 127.0.0.1
            http://api.localhost                  | 127.0.0.1
            http://[::1]                          | 0:0:0:0:0:0:0:1
            http://[::]                           | 0:0:0:0:0:0:0:0
            http://[0:0:0:0:0:0:0:1]              | 0:0:0:0:0:0:0:1
            http://[::127.0.0.1]                  | 0:0:0:0:0:0:7f00:1
            http://[::ffff:127.0.0.1]             | 127.0.0.1
            http://[::ffff:7f00:1]                | 127.0.0.1
            http://[::ffff:a9fe:a9fe]             | 169.254.169.254
            http://[::ffff:0:7f00:1]              | 0:0:0:0:ffff:0:7f00:1
            http://[fe80::1%25lo]                 | fe80:0:0:0:0:0:0:1
            http://[fe80::1%25eth0]:8080          | fe80:0:0:0:0:0:0:1
            http://[FE80::1]                      | fe80:0:0:0:0:0:0:1
            http://[fd00:ec2::254]                | fd00:ec2:0:0:0:0:0:254
            http://[fc00::1]                      | fc00:0:0:0:0:0:0:1
            http://[fec0::1]                      | fec0:0:0:0:0:0:0:1
            http://[ff02::1]                      | ff02:0:0:0:0:0:0:1
            http://[64:ff9b::127.0.0.1]           | 64:ff9b:0:0:0:0:7f00:1
            http://[64:ff9b::a9fe:a9fe]           | 64:ff9b:0:0:0:0:a9fe:a9fe
            http://[64:ff9b:1::a00:1]             | 64:ff9b:1:0:0:0:a00:1
            http://[2002:7f00:1::]                | 2002:7f00:1:0:0:0:0:0
            http://[2002:c0a8:101::1]             | 2002:c0a8:101:0:0:0:0:1
            http://[2001:0:4136:e378:8000:63bf:80ff:fffe] | 2001:0:4136:e378:8000:63bf:80ff:fffe
            http://[2001:0:7f00:1::1]             | 2001:0:7f00:1:0:0:0:1
            """)
    void everyFormOfAPrivateAddressIsRefused(String url, String address) {
        assertThat(strict.refusal(url)).hasValueSatisfying(reason -> assertThat(reason)
                .startsWith("a public address (").contains(" is " + address + ", a loopback, private or link-local")
                .endsWith("security.allow_private_base_urls: true)"));
        assertThat(new BaseUrlGuard(true).refusal(url)).isEmpty();
    }

    /** Names are resolved, with or without the trailing dot, and judged by every address they resolve to. */
    @Test
    void aNameResolvingToAPrivateAddressIsRefused() throws Exception {
        String name = InetAddress.getLocalHost().getHostName();
        InetAddress[] resolved = InetAddress.getAllByName(name);
        assumeTrue(Arrays.stream(resolved)
                .anyMatch(PrivateAddresses::isPrivate), () -> name + " resolves to no private address here");

        assertThat(strict.refusal("http://" + name + ":8080")).isPresent();
        assertThat(strict.refusal("http://" + name + ".:8080")).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://0x08080808", "http://134744072", "http://8.8.2056", "http://[64:ff9b::808:808]",
            "http://[2002:808:808::1]", "http://[2001:0:808:808::f7f7:f7f7]", "http://[2606:4700::1111]",
            "http://0100.0.0.1", "http://1.1.1.1.", "http://localhostx.invalid"})
    void publicAddressesInAnyFormPass(String url) {
        assertThat(strict.refusal(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://8.8.8.8", "https://[2001:4860:4860::8888]/v1", "http://1.1.1.1:8080",
            "https://no-such-host.invalid"})
    void publicAddressesAndUnresolvableNamesPass(String url) {
        assertThat(strict.refusal(url)).isEmpty();
    }

    @Test
    void theConfigFileIsRefusedAtStartWithTheChannelNamed() {
        assertThatThrownBy(() -> GatewayHarness.start("""
                security: { allow_private_base_urls: false }
                channels: [{ name: local, base_url: "http://127.0.0.1:9", key: sk-up-guard-0001 }]
                """)).hasMessageContaining("channels.local.base_url: http://127.0.0.1:9 (expected: a public address "
                + "(127.0.0.1 is 127.0.0.1, a loopback, private or link-local address; the operator may allow these "
                + "with security.allow_private_base_urls: true))");
    }

    @Test
    void theAdminApiRefusesPrivateBaseUrlsUnlessAllowed() {
        try (GatewayHarness gw = GatewayHarness.start("security: { allow_private_base_urls: false }\n")) {
            HttpResponse<String> refused = createChannel(gw, "http://169.254.169.254");
            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(refused.body()).contains("base_url: http://169.254.169.254 (expected: a public address");
            assertThat(createChannel(gw, "https://8.8.8.8").statusCode()).isEqualTo(201);
        }
        try (GatewayHarness gw = GatewayHarness.start("")) {
            assertThat(createChannel(gw, "http://127.0.0.1:11434").statusCode()).isEqualTo(201);
        }
    }

    @Test
    void aMirroredResultAtAPrivateAddressIsNotDownloaded(@TempDir Path dir) throws Exception {
        Vertx vertx = Vertx.vertx();
        try (FakeOpenAi upstream = FakeOpenAi.start()) {
            DiskStore files = new DiskStore(vertx, dir, Duration.ofHours(1), Clock.systemUTC());
            FileMirror mirror = new FileMirror(vertx, vertx.createHttpClient(), files,
                    new FileMirror.Limit(1 << 20, 5000), new FileMirror.Limit(1 << 20, 5000), null, strict);
            Throwable refused = mirror.download(upstream.baseUrl() + "/image.png")
                    .toCompletionStage().toCompletableFuture()
                    .handle((name, failure) -> failure).get(10, TimeUnit.SECONDS);
            assertThat(refused).hasMessage("url refused: host not public");
            assertThat(upstream.requests()).isEmpty();
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static HttpResponse<String> createChannel(GatewayHarness gw, String baseUrl) {
        return gw.send(HttpRequest.newBuilder(URI.create(gw.baseUrl() + "/api/admin/channels"))
                .header("Authorization", "Bearer " + GatewayHarness.ADMIN_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("""
                        {"name": "c-%d", "base_url": "%s", "key": "sk-up-guard-0002"}"""
                        .formatted(System.nanoTime(), baseUrl))).build());
    }
}
