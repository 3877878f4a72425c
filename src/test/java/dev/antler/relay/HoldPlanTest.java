package dev.antler.relay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.antler.accounts.ApiKey;
import dev.antler.accounts.Group;
import dev.antler.accounts.Principal;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.billing.CostCalculator;
import dev.antler.billing.Price;
import dev.antler.billing.Usage;
import dev.antler.config.BillingConfig;
import dev.antler.routing.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which bound a hold uses, and what it says or does when the balance cannot cover the output asked for. */
class HoldPlanTest {

    /** 1 USD per million input tokens (1,000 nano-USD a token), 4 USD per million output (4,000). */
    private static final Price PRICE = Price.tokens("1", "4");
    private static final BillingConfig BILLING = BillingConfig.defaults();
    private static final BillingConfig CAPPING = new BillingConfig(null, null, null, null, null, null, null, null, null, null, true);
    private static final Principal PRINCIPAL = new Principal(
            new ApiKey(1, 1, "k", "sk-…", Status.ACTIVE, null, null, 0, 0, Set.of(), 0, null),
            new User(1, "u", "default", Status.ACTIVE, 0, 0, 0, 0), new Group("default", Group.PPM, ""));

    /** A request of 10,000 prompt tokens by its bytes, 2,000 by the tokenizer, asking for 1,000 output tokens. */
    private static final class Chat implements Operation<Long> {
        final List<Boolean> tokenizerCalls = new ArrayList<>();

        @Override
        public long holdEstimate(Intent<Long> intent, Price price, HoldBasis basis) {
            tokenizerCalls.add(basis.tokenizer());
            long prompt = basis.tokenizer() ? 2_000 : 10_000;
            return CostCalculator.baseCost(price, Usage.tokens(prompt, basis.outputTokens(intent.details())));
        }

        @Override
        public OutputLimit<Long> outputLimit(Intent<Long> intent, HoldBasis basis) {
            return new OutputLimit<>("max_tokens", basis.outputTokens(intent.details()), 1,
                    tokens -> new Intent<>(intent.model(), false, tokens));
        }

        @Override
        public String name() {
            return "chat";
        }

        @Override
        public Set<String> channelTypes() {
            return Set.of("openai");
        }

        @Override
        public BodyKind bodyKind() {
            return BodyKind.JSON;
        }

        @Override
        public Intent<Long> inspect(ClientRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public UpstreamRequest upstreamRequest(Intent<Long> intent, Channel channel, ClientRequest client) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ResponseTap newTap(Intent<Long> intent, Channel channel) {
            throw new UnsupportedOperationException();
        }
    }

    private static final Intent<Long> ASKS_1000 = new Intent<>("m", false, 1_000L);

    @Test
    void farAboveTheBoundTheBytesAreEnoughAndNothingIsTokenized() {
        Chat chat = new Chat();

        HoldPlan<Long> plan = HoldPlan.of(chat, ASKS_1000, PRICE, PRINCIPAL, BILLING, 1_000_000_000L);

        assertThat(plan.amount()).isEqualTo(10_000 * 1_000 + 1_000 * 4_000);
        assertThat(chat.tokenizerCalls).containsExactly(false);
        assertThat(plan.refusalNote()).isEmpty();
    }

    @Test
    void nearTheBoundTheTokenizerCountsTheText() {
        Chat chat = new Chat();

        HoldPlan<Long> plan = HoldPlan.of(chat, ASKS_1000, PRICE, PRINCIPAL, BILLING, 10_000_000L);

        assertThat(plan.amount()).isEqualTo(2_000 * 1_000 + 1_000 * 4_000);
        assertThat(chat.tokenizerCalls).containsExactly(false, true);
        assertThat(plan.refusalNote()).isEmpty();
        assertThat(plan.cappedTo()).isEqualTo(-1);
    }

    @Test
    void aRefusalNamesTheOutputTokensTheBalanceAffords() {
        // 5,000,000 available: 2,000,000 for the prompt, 3,000,000 for 750 output tokens.
        HoldPlan<Long> plan = HoldPlan.of(new Chat(), ASKS_1000, PRICE, PRINCIPAL, BILLING, 5_000_000L);

        assertThat(plan.amount()).isEqualTo(6_000_000L);
        assertThat(plan.refusalNote()).isEqualTo("; max_tokens: 1000 (expected: at most 750, the output tokens"
                + " this balance affords after the prompt)");
    }

    @Test
    void theGroupMultiplierCountsInWhatIsAffordable() {
        Principal vip = new Principal(PRINCIPAL.key(), PRINCIPAL.user(), new Group("vip", 2 * Group.PPM, ""));

        HoldPlan<Long> plan = HoldPlan.of(new Chat(), ASKS_1000, PRICE, vip, BILLING, 10_000_000L);

        assertThat(plan.refusalNote()).contains("(expected: at most 750,");
    }

    @Test
    void withTheCapTheRequestIsLoweredToWhatTheBalanceAffords() {
        HoldPlan<Long> plan = HoldPlan.of(new Chat(), ASKS_1000, PRICE, PRINCIPAL, CAPPING, 5_000_000L);

        assertThat(plan.cappedTo()).isEqualTo(750);
        assertThat(plan.intent().details()).isEqualTo(750L);
        assertThat(plan.amount()).isEqualTo(5_000_000L);
        assertThat(plan.refusalNote()).isEmpty();
    }

    @Test
    void aBalanceBelowThePromptIsRefusedEvenWithTheCap() {
        HoldPlan<Long> plan = HoldPlan.of(new Chat(), ASKS_1000, PRICE, PRINCIPAL, CAPPING, 1_000_000L);

        assertThat(plan.cappedTo()).isEqualTo(-1);
        assertThat(plan.refusalNote()).contains("(expected: at most 0,").contains("it cannot cover the prompt alone");
    }
}
