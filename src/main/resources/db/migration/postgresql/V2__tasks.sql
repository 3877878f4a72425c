-- Async tasks (Midjourney and the other submit-then-poll families). Money columns are nano-USD, times epoch ms.
-- charge_state: pending (charge queued) | charged (charge committed); refund_state: none | refunded.
-- Every status change is a compare-and-set on status; a refund is applied in the same transaction as its
-- status change (see dev.antler.tasks.TaskEngine).
CREATE TABLE tasks (
    id              BIGSERIAL PRIMARY KEY,
    public_id       VARCHAR(64) NOT NULL UNIQUE,
    family          VARCHAR(32) NOT NULL,
    action          VARCHAR(64) NOT NULL,
    mode            VARCHAR(16),
    user_id         BIGINT NOT NULL,
    key_id          BIGINT NOT NULL,
    channel_id      BIGINT NOT NULL,
    upstream_id     VARCHAR(191) NOT NULL,
    status          VARCHAR(16) NOT NULL,
    progress        VARCHAR(16),
    fail_reason     TEXT,
    cost_nanos      BIGINT NOT NULL,
    charge_state    VARCHAR(16) NOT NULL,
    refund_state    VARCHAR(16) NOT NULL,
    notify_hook     TEXT,
    request         TEXT,
    payload         TEXT,
    submitted_at    BIGINT NOT NULL,
    started_at      BIGINT,
    finished_at     BIGINT,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX tasks_open ON tasks (finished_at, channel_id);
CREATE INDEX tasks_user ON tasks (user_id, submitted_at);

-- One row per lease; the task poller runs on the instance holding the unexpired lease.
CREATE TABLE task_leases (
    name            VARCHAR(64) PRIMARY KEY,
    holder          VARCHAR(128) NOT NULL,
    expires_at      BIGINT NOT NULL
);
