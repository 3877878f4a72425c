package dev.antler.openai.realtime;

import dev.antler.accounts.Principal;
import dev.antler.core.ErrorKind;
import dev.antler.core.GatewayException;
import dev.antler.limits.Admission;
import dev.antler.relay.RelayServices;

/**
 * What is checked before each response of a session starts (a client's {@code response.create}, or a response the
 * upstream began on its own, as with server voice activity detection): that charges can be recorded (the store
 * writes), the user's daily spend cap and the key's requests and tokens per minute. The balance and the key's
 * spend limit are held for already: a hold for the next response is taken as each one finishes.
 */
final class ResponseGate {

    private final RelayServices services;
    private final Principal principal;
    private final Admission admission;

    ResponseGate(RelayServices services, Principal principal, Admission admission) {
        this.services = services;
        this.principal = principal;
        this.admission = admission;
    }

    /** Null when the next response may start (then counted as one request); else why not. */
    GatewayException refusal() {
        try {
            services.balances().backlog().admitPaidWork();
            services.limits().limiter().next(admission, principal);
            return null;
        } catch (GatewayException refused) {
            return refused;
        }
    }

    /**
     * How a session ends for {@code refusal}: for want of money (balance, key spend limit, daily cap) as
     * {@link SessionEnd#BALANCE}; when charges cannot be recorded as {@link SessionEnd#ERROR}; null for a rate
     * limit, which refuses that response only.
     */
    static SessionEnd endFor(GatewayException refusal) {
        if (refusal.kind() == ErrorKind.RATE_LIMIT) {
            return null;
        }
        return refusal.kind() == ErrorKind.INSUFFICIENT_QUOTA ? SessionEnd.BALANCE : SessionEnd.ERROR;
    }
}
