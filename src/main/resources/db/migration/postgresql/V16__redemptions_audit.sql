-- Redemption codes: an amount of USD (nano-USD) credited once, to the first user who redeems the code. Only
-- the code's SHA-256 and its last characters are kept. status moves active -> redeemed (or disabled) by
-- compare-and-set in the same transaction as the ledger row (reason "redeem:<id>"), so a code pays once.
CREATE TABLE redemption_codes (
    id BIGSERIAL PRIMARY KEY,
    code_hash      CHAR(64) NOT NULL UNIQUE,
    code_hint      VARCHAR(32) NOT NULL,
    name           VARCHAR(128),
    amount_nanos   BIGINT NOT NULL,
    status         VARCHAR(16) NOT NULL,
    expires_at     BIGINT,
    redeemed_by    BIGINT,
    redeemed_at    BIGINT,
    created_at     BIGINT NOT NULL
);

-- What admins did through the admin API: who (admin_key, or user:<id>), the method and endpoint, the target
-- (the path's id or name), the answer's status, and when. Newest first by id.
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    created_at   BIGINT NOT NULL,
    actor        VARCHAR(32) NOT NULL,
    action       VARCHAR(128) NOT NULL,
    target       VARCHAR(191),
    status_code  INTEGER NOT NULL,
    request_id   VARCHAR(64) NOT NULL
);

-- A user's own tasks, newest first, paged by id (keyset: id < before_id) without a sort. (A user's usage rows page
-- by (created_at, id) through usage_logs' (user_id, created_at) index.)
CREATE INDEX tasks_user_id ON tasks (user_id, id);
