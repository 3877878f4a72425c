package dev.antler.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.antler.accounts.ApiKey;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.core.GatewayException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Holds in memory: what they reserve, and the overrun reserve that keeps under-estimates from compounding. */
class BalanceBookTest {

    private static final long CENT = 10_000_000L;
    private static final User USER = new User(1, "u", "default", Status.ACTIVE, 100 * CENT, 0, 0, 0);
    private static final ApiKey KEY = new ApiKey(1, 1, "k", "sk-…", Status.ACTIVE, null, null, 0, 0, Set.of(), 0, null);

    private final BalanceBook book = new BalanceBook();

    /** Admits holds of {@code amount} until the balance refuses one. */
    private List<Hold> holdAllThatFit(long amount) {
        List<Hold> holds = new ArrayList<>();
        while (true) {
            try {
                holds.add(book.hold(USER, KEY, amount));
            } catch (GatewayException refused) {
                assertThat(refused.status()).isEqualTo(403);
                return holds;
            }
        }
    }

    @Test
    void holdsInFlightNeverExceedTheBalance() {
        List<Hold> holds = holdAllThatFit(30 * CENT);

        assertThat(holds).hasSize(3);
        assertThat(book.available(USER, KEY)).isEqualTo(10 * CENT);
        holds.forEach(hold -> book.settle(hold, 30 * CENT));
        assertThat(book.balance(USER)).isEqualTo(10 * CENT);
    }

    @Test
    void anOverrunIsReservedByEveryLaterHold() {
        Hold first = book.hold(USER, KEY, 10 * CENT);
        book.settle(first, 30 * CENT); // the upstream billed 20 cents more than the bound

        assertThat(book.balance(USER)).isEqualTo(70 * CENT);
        assertThat(book.available(USER, KEY)).isEqualTo(50 * CENT);
        Hold next = book.hold(USER, KEY, 10 * CENT);
        assertThat(book.available(USER, KEY)).as("10 held plus 20 kept back").isEqualTo(20 * CENT);
        book.settle(next, 10 * CENT);
        assertThat(book.balance(USER)).isEqualTo(60 * CENT);
        assertThat(book.available(USER, KEY)).isEqualTo(40 * CENT);
    }

    @Test
    void underEstimatedRequestsInFlightTogetherDoNotCompoundOnceAnOverrunIsSeen() {
        Hold first = book.hold(USER, KEY, 10 * CENT);
        book.settle(first, 30 * CENT);

        // Every request from here on costs 30 cents against a 10-cent bound, all in flight at once.
        List<Hold> wave = holdAllThatFit(10 * CENT);
        wave.forEach(hold -> book.settle(hold, 30 * CENT));

        assertThat(wave).hasSize(2);
        assertThat(book.balance(USER)).isEqualTo(10 * CENT).isGreaterThanOrEqualTo(-10 * CENT);
    }

    @Test
    void withoutTheReserveTheSameWaveWouldHaveCompounded() {
        // The same wave before any overrun was seen: only the bound protects it (hence holds that bound the cost).
        List<Hold> wave = holdAllThatFit(10 * CENT);
        wave.forEach(hold -> book.settle(hold, 30 * CENT));

        assertThat(wave).hasSize(10);
        assertThat(book.balance(USER)).isEqualTo(-200 * CENT);
    }

    @Test
    void theReserveStaysWhenTheWriterCommits() {
        Hold first = book.hold(USER, KEY, 10 * CENT);
        book.settle(first, 30 * CENT);
        book.userCommitted(USER.id(), 30 * CENT, 70 * CENT, 0);

        assertThat(book.balance(USER)).isEqualTo(70 * CENT);
        assertThat(book.available(USER, KEY)).isEqualTo(50 * CENT);
    }

    @Test
    void theRefusalSaysWhatIsKeptBackAndTheCallersNote() {
        book.settle(book.hold(USER, KEY, 10 * CENT), 90 * CENT);

        assertThatThrownBy(() -> book.hold(USER, KEY, 5 * CENT, "; max_tokens: 9 (expected: at most 3)"))
                .hasMessage("insufficient balance: 0.10 USD available, this request needs up to 0.05 USD plus 0.80 USD"
                        + " kept back because an earlier request cost that much more than its hold;"
                        + " max_tokens: 9 (expected: at most 3)");
    }

    @Test
    void aKeyLimitKeepsItsOwnReserve() {
        ApiKey limited = new ApiKey(2, 1, "k2", "sk-…", Status.ACTIVE, null, 50 * CENT, 0, 0, Set.of(), 0, null);
        book.settle(book.hold(USER, limited, 10 * CENT), 20 * CENT);

        assertThat(book.keyRemaining(limited)).isEqualTo(30 * CENT);
        assertThat(book.available(USER, limited)).as("key: 30 left less 10 kept back").isEqualTo(20 * CENT);
        assertThat(book.available(USER, KEY)).isEqualTo(70 * CENT);
    }

    @Test
    void theCheckBeforeTheBodyFollowsWhatIsAvailableAfterHoldsAndHoldsNothing() {
        User user = new User(2, "v", "default", Status.ACTIVE, 100, 0, 0, 0);
        book.checkAvailable(user, KEY, 1);
        book.checkAvailable(user, KEY, 1);
        Hold hold = book.hold(user, KEY, 100); // everything: the checks held nothing

        GatewayException refused = catchThrowableOfType(GatewayException.class, () -> book.checkAvailable(user, KEY, 1));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("insufficient_quota");
        assertThat(refused.getMessage()).startsWith("insufficient balance: 0");
        book.checkAvailable(user, KEY, 0); // a free request passes, as hold(0) would

        book.settle(hold, 40);
        book.checkAvailable(user, KEY, 60);
        assertThat(catchThrowableOfType(GatewayException.class, () -> book.checkAvailable(user, KEY, 61))).isNotNull();
    }

    @Test
    void theCheckBeforeTheBodyRefusesAKeyWithItsSpendLimitUsedUp() {
        ApiKey limited = new ApiKey(2, 1, "k", "sk-…", Status.ACTIVE, null, 10L, 10, 0, Set.of(), 0, null);
        GatewayException refused = catchThrowableOfType(GatewayException.class,
                () -> book.checkAvailable(USER, limited, 1));
        assertThat(refused.getMessage()).startsWith("key spend limit reached");
    }
}
