-- Three-stage task billing: a task is charged units x unit_nanos (the price of one unit, the group
-- multiplier applied, fixed at submit). When the upstream reports at completion what it made, the difference
-- is charged or refunded once: settle_state moves from 'open' to 'settled' in the same transaction (see
-- dev.antler.tasks.TaskEngine). unit_nanos = 0 marks a task priced per call, settled as charged.
ALTER TABLE tasks ADD COLUMN unit_nanos BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN units BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tasks ADD COLUMN settle_state VARCHAR(16) NOT NULL DEFAULT 'open';

-- Idempotency-Key of paid submits: the first request with a key claims it (state 'pending'); its answer is
-- kept (state 'done') and given again to a repeat with the same body within the retention window; a
-- repeat with another body is refused. A submit that fails releases its claim.
CREATE TABLE idempotency_keys (
    user_id     BIGINT       NOT NULL,
    idem_key    VARCHAR(191) NOT NULL,
    body_hash   VARCHAR(64)  NOT NULL,
    state       VARCHAR(16)  NOT NULL,
    status      INT          NOT NULL,
    answer      TEXT,
    created_at  BIGINT       NOT NULL,
    PRIMARY KEY (user_id, idem_key)
);
