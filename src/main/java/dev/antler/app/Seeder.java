package dev.antler.app;

import static java.util.Objects.requireNonNull;

import dev.antler.accounts.AccountStore;
import dev.antler.accounts.ApiKey;
import dev.antler.accounts.ApiKeys;
import dev.antler.accounts.Group;
import dev.antler.accounts.Status;
import dev.antler.accounts.User;
import dev.antler.admin.AdminEdits;
import dev.antler.admin.AdminEdits.Kind;
import dev.antler.billing.Price;
import dev.antler.billing.PriceStore;
import dev.antler.billing.Usd;
import dev.antler.config.AntlerConfig;
import dev.antler.config.ChannelConfig;
import dev.antler.config.GroupConfig;
import dev.antler.config.KeyConfig;
import dev.antler.config.PriceConfig;
import dev.antler.config.UserConfig;
import dev.antler.family.ChannelType;
import dev.antler.family.Families;
import dev.antler.limits.KeyLimits;
import dev.antler.limits.LimitStore;
import dev.antler.security.BaseUrlGuard;
import dev.antler.routing.Channel;
import dev.antler.routing.ChannelHealth;
import dev.antler.routing.ChannelStore;
import dev.antler.routing.ChannelTimeouts;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the config file's channels, prices, groups, users and keys to the store, idempotently:
 * applying the same file twice changes nothing. Channels, prices and groups are upserted by name;
 * a user's {@code balance} is credited once, when the user is created; keys are stored hashed. A channel
 * the gateway disabled itself stays disabled until its key or base URL changes in the file.
 *
 * <p>The config seeds; the admin's edits win: a channel, group, price, user (its group and daily cap)
 * or key (its settings and limits) that the admin API made, changed or deleted ({@link AdminEdits}) is
 * left as the admin left it. What the file adds later is still created.
 */
public final class Seeder {

    private static final Logger log = LoggerFactory.getLogger(Seeder.class);

    private final AccountStore accounts;
    private final ChannelStore channels;
    private final PriceStore prices;
    private final LimitStore limits;
    private final AdminEdits edits;
    private final Families families;

    public Seeder(AccountStore accounts, ChannelStore channels, PriceStore prices, LimitStore limits,
                  AdminEdits edits, Families families) {
        this.accounts = accounts;
        this.channels = channels;
        this.prices = prices;
        this.limits = limits;
        this.edits = edits;
        this.families = requireNonNull(families, "families");
    }

    public void apply(AntlerConfig config) {
        if (accounts.findGroup(Group.DEFAULT).isEmpty() && !config.groups().containsKey(Group.DEFAULT)) {
            accounts.upsertGroup(Group.defaultGroup());
        }
        for (Map.Entry<String, GroupConfig> g : config.groups().entrySet()) {
            if (keptByAdmin(Kind.GROUP, g.getKey(), "groups." + g.getKey())) {
                continue;
            }
            BigDecimal multiplier = g.getValue().multiplier() == null ? BigDecimal.ONE : g.getValue().multiplier();
            accounts.upsertGroup(new Group(g.getKey(), toPpm(multiplier, "groups." + g.getKey() + ".multiplier"),
                    g.getValue().description()));
        }
        for (ChannelConfig c : config.channels()) {
            ChannelType type = channelType(c);
            if (c.baseUrl() != null && !c.baseUrl().isBlank()) {
                BaseUrlGuard.check("channels." + c.name() + ".base_url", c.baseUrl(),
                        config.security().allowPrivateBaseUrls());
            }
            if (keptByAdmin(Kind.CHANNEL, c.name(), "channels." + c.name())) {
                continue;
            }
            Channel configured = new Channel(0, c.name(), type.name(), c.baseUrl() == null ? "" : c.baseUrl(),
                    c.key() == null ? "" : c.key(), new LinkedHashSet<>(c.models()), c.modelMapping(), c.priority(),
                    c.weight(), new LinkedHashSet<>(c.groups()), c.enabled() ? Status.ACTIVE : Status.DISABLED, null,
                    new ChannelTimeouts(c.connectTimeoutMs(), c.idleTimeoutMs(), c.totalTimeoutMs()));
            channels.upsert(keepAutoDisabled(configured, channels.findByName(c.name())));
        }
        for (Map.Entry<String, PriceConfig> p : config.prices().entrySet()) {
            if (!keptByAdmin(Kind.PRICE, p.getKey(), "prices." + p.getKey())) {
                prices.put(p.getKey(), toPrice(p.getValue()));
            }
        }
        for (UserConfig u : config.users()) {
            seedUser(u);
        }
    }

    /**
     * The type of channel {@code c}, the default when it names none; an unknown type, or a type without a
     * default base URL on a channel without one, is a config error.
     */
    private ChannelType channelType(ChannelConfig c) {
        ChannelType type = c.type() == null ? families.defaultChannelType()
                : families.channelType(c.type()).orElseThrow(() -> new IllegalArgumentException("channels." + c.name()
                        + ".type: " + c.type() + " (expected: " + families.expectedType() + ")"));
        if ((c.baseUrl() == null || c.baseUrl().isBlank()) && type.defaultBaseUrl() == null) {
            throw new IllegalArgumentException("channels." + c.name() + ".base_url: missing (expected: the upstream's "
                    + "URL: channels of type " + type.name() + " have no default)");
        }
        return type;
    }

    /**
     * {@code configured}, but still disabled with its reason when the gateway disabled the stored channel
     * itself (its upstream refused the key or billing) and the operator has changed neither its key nor
     * its base URL since: re-applying the same file must not send traffic to a refusing upstream again.
     * A passing channel test enables it again.
     */
    static Channel keepAutoDisabled(Channel configured, Optional<Channel> stored) {
        if (configured.status() != Status.ACTIVE || stored.isEmpty() || !ChannelHealth.isAutoDisabled(stored.get())) {
            return configured;
        }
        Channel previous = stored.get();
        boolean sameCredentials = previous.apiKey().equals(configured.apiKey())
                && previous.baseUrl().equals(configured.baseUrl());
        return sameCredentials ? configured.withStatus(Status.DISABLED, previous.statusReason()) : configured;
    }

    private void seedUser(UserConfig config) {
        Optional<User> existing = accounts.findUserByName(config.name());
        User user;
        if (existing.isEmpty()) {
            user = accounts.createUser(config.name(), config.group(), Status.ACTIVE);
            long opening = Usd.fromDecimal(config.balance());
            if (opening != 0) {
                accounts.credit(user.id(), opening, "opening", null, "opening balance from the config file");
            }
            putDailyCap(user, config);
        } else {
            user = existing.get();
            if (!keptByAdmin(Kind.USER, Long.toString(user.id()), "users." + config.name())) {
                if (!user.group().equals(config.group())) {
                    accounts.updateUser(user.id(), config.group(), user.status());
                }
                putDailyCap(user, config);
            }
        }
        for (KeyConfig k : config.keys()) {
            seedKey(user, k);
        }
    }

    private void putDailyCap(User user, UserConfig config) {
        limits.putDailyCap(user.id(), config.dailySpendLimit() == null ? null : Usd.fromDecimal(config.dailySpendLimit()));
    }

    private void seedKey(User user, KeyConfig config) {
        String hash = ApiKeys.hash(config.key());
        Long expiresAt = config.expiresAt() == null ? null : Instant.parse(config.expiresAt()).toEpochMilli();
        Long limit = config.spendLimit() == null ? null : Usd.fromDecimal(config.spendLimit());
        Optional<ApiKey> existing = accounts.findKeyByHash(hash);
        KeyLimits rates = new KeyLimits(config.rpmLimit(), config.tpmLimit(), config.maxConcurrent());
        if (existing.isEmpty()) {
            ApiKey created = accounts.createKey(user.id(), config.name(), hash, ApiKeys.hint(config.key()), expiresAt,
                    limit, config.models());
            limits.putKeyLimits(created.id(), rates);
            return;
        }
        ApiKey key = existing.get();
        if (key.userId() != user.id()) {
            throw new IllegalArgumentException("users." + user.name() + ".keys." + config.name()
                    + ": this key already belongs to another user (expected: a key unique to one user)");
        }
        if (keptByAdmin(Kind.KEY, Long.toString(key.id()), "users." + user.name() + ".keys." + config.name())) {
            return;
        }
        accounts.updateKey(key.id(), config.name(), key.status(), expiresAt, limit, config.models());
        limits.putKeyLimits(key.id(), rates);
    }

    /** Whether the admin API edited this row, so the file's entry {@code name} is not applied to it. */
    private boolean keptByAdmin(Kind kind, String id, String name) {
        if (!edits.edited(kind, id)) {
            return false;
        }
        log.info("{}: not applied (edited through the admin API, whose edits win)", name);
        return true;
    }

    static long toPpm(BigDecimal multiplier, String name) {
        if (multiplier.signum() < 0) {
            throw new IllegalArgumentException(name + ": " + multiplier + " (expected: >= 0)");
        }
        return multiplier.movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    public static Price toPrice(PriceConfig c) {
        return new Price(nanos(c.inputPerMtok()), nanos(c.outputPerMtok()), nanos(c.cachedInputPerMtok()),
                nanos(c.cacheWritePerMtok()), nanos(c.perImage()), nanos(c.perCall()), nanos(c.perSecond()));
    }

    private static Long nanos(BigDecimal usd) {
        return usd == null ? null : Usd.fromDecimal(usd);
    }
}
