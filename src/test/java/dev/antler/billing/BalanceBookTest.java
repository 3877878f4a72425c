package dev.antler.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.antler.accounts.ApiKey;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.core.GatewayException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The balance check made before a body is read: what {@link BalanceBook#hold} would refuse, holding nothing. */
class BalanceBookTest {

    private final BalanceBook book = new BalanceBook();
    private final User user = new User(1, "u", "default", Status.ACTIVE, 100, 0, 0, 0);
    private final ApiKey key = new ApiKey(1, 1, "k", "sk-…", Status.ACTIVE, null, null, 0, 0, Set.of(), 0, null);

    @Test
    void theCheckFollowsWhatIsAvailableAfterHoldsAndHoldsNothing() {
        book.checkAvailable(user, key, 1);
        book.checkAvailable(user, key, 1);
        Hold hold = book.hold(user, key, 100); // everything: the checks held nothing

        GatewayException refused = catchThrowableOfType(GatewayException.class, () -> book.checkAvailable(user, key, 1));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.code()).isEqualTo("insufficient_quota");
        assertThat(refused.getMessage()).startsWith("insufficient balance: 0");
        book.checkAvailable(user, key, 0); // a free request passes, as hold(0) would

        book.settle(hold, 40);
        book.checkAvailable(user, key, 60);
        assertThat(catchThrowableOfType(GatewayException.class, () -> book.checkAvailable(user, key, 61))).isNotNull();
    }

    @Test
    void aKeyWithItsSpendLimitUsedUpIsRefused() {
        ApiKey limited = new ApiKey(2, 1, "k", "sk-…", Status.ACTIVE, null, 10L, 10, 0, Set.of(), 0, null);
        GatewayException refused = catchThrowableOfType(GatewayException.class,
                () -> book.checkAvailable(user, limited, 1));
        assertThat(refused.getMessage()).startsWith("key spend limit reached");
    }
}
