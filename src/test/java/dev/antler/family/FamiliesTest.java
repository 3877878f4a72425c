package dev.antler.family;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.antler.accounts.Status;
import dev.antler.billing.Price;
import dev.antler.http.ErrorFormat;
import dev.antler.http.OpenAiErrorFormat;
import dev.antler.routing.Channel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FamiliesTest {

    /** A family made of parts, for the registry's checks. */
    private record Fake(String name, List<ChannelType> channelTypes, Map<String, Price> defaultPrices)
            implements Family {

        @Override
        public ErrorFormat errors() {
            return OpenAiErrorFormat.INSTANCE;
        }

        @Override
        public void mount(FamilyContext context) {}
    }

    private static ChannelType type(String name) {
        return new ChannelType(name, null, UpstreamAuth.bearer(), null);
    }

    @Test
    void theBuiltInFamiliesAndTheirChannelTypes() {
        Families families = Families.builtIn();

        assertThat(families.all()).extracting(Family::name)
                .containsExactly("openai", "anthropic", "ideogram", "recraft", "midjourney", "suno", "udio", "videos",
                        "kling", "flux", "minimax", "luma", "pika", "runway", "replicate", "videogen");
        assertThat(families.channelTypeNames()).containsExactly("anthropic", "flux", "ideogram", "kling", "luma", "midjourney", "minimax", "openai", "pika", "recraft", "replicate", "runway", "runway-compat", "suno", "udio");
        assertThat(families.expectedType()).isEqualTo("one of anthropic, flux, ideogram, kling, luma, midjourney, minimax, openai, pika, recraft, replicate, runway, runway-compat, suno, udio");
        assertThat(families.defaultChannelType().name()).isEqualTo("openai");
        assertThat(families.defaultBaseUrls()).containsOnlyKeys("flux", "ideogram", "kling", "luma", "minimax", "recraft",
                "replicate", "runway");
        assertThat(families.defaultBaseUrls()).containsEntry("flux", "https://api.bfl.ai")
                .containsEntry("runway", "https://api.dev.runwayml.com");
        assertThat(families.probes()).containsOnlyKeys("anthropic", "flux", "kling", "luma", "midjourney", "minimax", "openai", "recraft", "replicate", "runway", "suno");
    }

    @Test
    void looksChannelTypesUpByName() {
        Families families = Families.builtIn();

        assertThat(families.channelType("anthropic").orElseThrow().auth()).isEqualTo(UpstreamAuth.header("x-api-key"));
        assertThat(families.channelType("openai").orElseThrow().auth()).isEqualTo(UpstreamAuth.bearer());
        assertThat(families.channelType("ideogram").orElseThrow().auth()).isEqualTo(UpstreamAuth.header("Api-Key"));
        assertThat(families.channelType("midjourney").orElseThrow().auth())
                .isEqualTo(UpstreamAuth.header("mj-api-secret"));
        assertThat(families.channelType("ideogram").orElseThrow().testable()).isFalse();
        assertThat(families.channelType("foo")).isEmpty();
        assertThat(families.channelType("OpenAI")).isEmpty();
        assertThat(families.channelType(null)).isEmpty();
    }

    @Test
    void mergesEveryFamilysDefaultPrices() {
        Map<String, Price> prices = Families.builtIn().defaultPrices();

        assertThat(prices).containsKeys("gpt-4o-mini", "whisper-1", "claude-haiku-4-5", "ideogram/v3/generate/TURBO",
                "ideogram/other", "mj_imagine", "mj_imagine_relax");
        assertThat(prices.get("mj_imagine_turbo").perCall()).isEqualTo(2 * prices.get("mj_imagine").perCall());
    }

    @Test
    void refusesAPriceKeyTwoFamiliesDefine() {
        Price price = Price.perCall("0.01");
        List<Family> clash = List.of(new Fake("acme", List.of(type("acme")), Map.of("shared-model", price)),
                new Fake("zenith", List.of(type("zenith")), Map.of("shared-model", price)));

        assertThatThrownBy(() -> new Families(clash))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("default price: shared-model (expected: defined by one family; both acme and zenith "
                        + "define it)");
    }

    @Test
    void refusesAChannelTypeOrFamilyNameDefinedTwice() {
        assertThatThrownBy(() -> new Families(List.of(new Fake("acme", List.of(type("shared")), Map.of()),
                new Fake("zenith", List.of(type("shared")), Map.of()))))
                .hasMessage("channel type: shared (expected: defined by one family; both acme and zenith define it)");
        assertThatThrownBy(() -> new Families(List.of(new Fake("acme", List.of(type("a")), Map.of()),
                new Fake("acme", List.of(type("b")), Map.of()))))
                .hasMessage("family: acme (expected: defined by one family; both acme and acme define it)");
        assertThatThrownBy(() -> new Families(List.of(new Fake("acme", List.of(), Map.of()))))
                .hasMessage("family acme: no channel types (expected: at least one)");
    }

    @Test
    void aLaterFamilyMayServeOnAnotherFamilysChannels() {
        Families families = new Families(List.of(new Fake("acme", List.of(type("a")), Map.of()),
                new Fake("rider", List.of(), Map.of())));
        assertThat(families.channelTypeNames()).containsExactly("a");
        assertThat(families.defaultChannelType().name()).isEqualTo("a");
    }

    @Test
    void aNewFamilyIsOneMoreEntry() {
        Families families = new Families(List.of(new Fake("acme", List.of(
                new ChannelType("acme", "https://api.acme.example", UpstreamAuth.header("X-Acme-Key"), null)),
                Map.of("acme-1", Price.perCall("0.02")))));

        assertThat(families.channelTypeNames()).containsExactly("acme");
        assertThat(families.defaultPrices()).containsOnlyKeys("acme-1");
        assertThat(families.defaultBaseUrls()).containsEntry("acme", "https://api.acme.example");
        assertThat(families.probes()).isEmpty();
    }

    @Test
    void checksChannelTypeNames() {
        assertThatThrownBy(() -> type("Open AI"))
                .hasMessage("name: Open AI (expected: 1 to 32 lower-case letters, digits, '_' or '-')");
    }

    @Test
    void upstreamAuthCarriesTheChannelsKey() {
        Channel channel = new Channel(1, "c", "openai", "https://x", "sk-up-1", Set.of(), Map.of(), 0, 1,
                Set.of("default"), Status.ACTIVE, null);

        assertThat(UpstreamAuth.bearer().name()).isEqualTo("Authorization");
        assertThat(UpstreamAuth.bearer().value(channel)).isEqualTo("Bearer sk-up-1");
        assertThat(UpstreamAuth.header("x-api-key").value(channel)).isEqualTo("sk-up-1");
    }
}
