package dev.antler.accounts;

import static java.util.Objects.requireNonNull;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.antler.core.GatewayException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Turns a presented key into a {@link Principal}. Lookups are by the key's hash (so the secret is
 * never compared byte by byte) and cached briefly: a hit costs one hash and one map lookup; changes
 * made on another instance are seen within the refresh interval, and admin changes here at once.
 */
public final class Authenticator {

    private final AccountStore store;
    private final Clock clock;
    private final AsyncLoadingCache<String, Optional<Principal>> cache;

    public Authenticator(AccountStore store, Clock clock, Executor blockingExecutor, Duration refresh) {
        this.store = requireNonNull(store, "store");
        this.clock = requireNonNull(clock, "clock");
        this.cache = Caffeine.newBuilder()
                .executor(blockingExecutor)
                .maximumSize(100_000)
                .expireAfterWrite(refresh)
                .buildAsync(this::load);
    }

    /** Completes with the principal, or fails with a 401 {@link GatewayException}. */
    public CompletableFuture<Principal> authenticate(String presentedKey) {
        if (presentedKey == null || presentedKey.isBlank()) {
            return CompletableFuture.failedFuture(GatewayException.unauthorized(
                    "missing API key (expected: Authorization: Bearer <key>, Authorization: <key> or x-api-key: <key>)"));
        }
        return authenticateHash(ApiKeys.hash(presentedKey));
    }

    /** As {@link #authenticate}, for a key known only by its hash (the key an ephemeral realtime key stands for). */
    public CompletableFuture<Principal> authenticateHash(String keyHash) {
        return cache.get(keyHash).thenApply(this::check);
    }

    private Principal check(Optional<Principal> found) {
        Principal principal = found.orElseThrow(() -> GatewayException.unauthorized("invalid API key"));
        ApiKey key = principal.key();
        if (key.status() != Status.ACTIVE) {
            throw GatewayException.unauthorized("API key is disabled: " + key.hint());
        }
        if (key.expiredAt(clock.millis())) {
            throw GatewayException.unauthorized("API key has expired: " + key.hint());
        }
        if (principal.user().status() != Status.ACTIVE) {
            throw GatewayException.forbidden("user_disabled", "user is disabled: " + principal.user().name());
        }
        return principal;
    }

    private Optional<Principal> load(String keyHash) {
        return store.findKeyByHash(keyHash).flatMap(key -> store.findUser(key.userId()).map(user -> {
            Group group = store.findGroup(user.group()).orElseGet(
                    () -> new Group(user.group(), Group.PPM, null));
            return new Principal(key, user, group);
        }));
    }

    /** The id of {@code presentedKey} when it is cached (a key that authenticated lately), else null; never loads. */
    public Long cachedKeyId(String presentedKey) {
        CompletableFuture<Optional<Principal>> cached = cache.getIfPresent(ApiKeys.hash(presentedKey));
        if (cached == null || !cached.isDone() || cached.isCompletedExceptionally()) {
            return null;
        }
        return cached.join().map(principal -> principal.key().id()).orElse(null);
    }

    /** Forgets every cached principal; the next request of each key reads the store. */
    public void invalidateAll() {
        cache.synchronous().invalidateAll();
    }
}
