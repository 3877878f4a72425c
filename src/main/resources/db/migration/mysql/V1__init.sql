-- Money columns are integer nano-dollars (1e-9 USD); times are epoch milliseconds.
-- Every table is InnoDB (transactions) and utf8mb4 with a binary collation, whatever the server's
-- defaults: text round-trips (key hints contain U+2026) and names, models and hashes compare exactly,
-- as on SQLite and PostgreSQL. Foreign keys are table constraints: MySQL before 9.0 parses and
-- ignores a REFERENCES clause written on the column.

CREATE TABLE settings (
    name        VARCHAR(64) PRIMARY KEY,
    value       TEXT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE user_groups (
    name            VARCHAR(64) PRIMARY KEY,
    multiplier_ppm  BIGINT NOT NULL,
    description     TEXT,
    created_at      BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE users (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    name            VARCHAR(128) NOT NULL UNIQUE,
    group_name      VARCHAR(64) NOT NULL,
    status          VARCHAR(16) NOT NULL,
    balance_nanos   BIGINT NOT NULL,
    used_nanos      BIGINT NOT NULL DEFAULT 0,
    request_count   BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE api_keys (
    id                  BIGINT AUTO_INCREMENT PRIMARY KEY,
    user_id             BIGINT NOT NULL,
    name                VARCHAR(128) NOT NULL,
    key_hash            CHAR(64) NOT NULL UNIQUE,
    key_hint            VARCHAR(32) NOT NULL,
    status              VARCHAR(16) NOT NULL,
    expires_at          BIGINT,
    spend_limit_nanos   BIGINT,
    used_nanos          BIGINT NOT NULL DEFAULT 0,
    request_count       BIGINT NOT NULL DEFAULT 0,
    allowed_models      TEXT,
    created_at          BIGINT NOT NULL,
    last_used_at        BIGINT,
    FOREIGN KEY (user_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX api_keys_user ON api_keys (user_id);

CREATE TABLE channels (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    name            VARCHAR(128) NOT NULL UNIQUE,
    type            VARCHAR(32) NOT NULL,
    base_url        TEXT NOT NULL,
    api_key         TEXT NOT NULL,
    models          TEXT NOT NULL,
    model_mapping   TEXT NOT NULL,
    priority        INTEGER NOT NULL,
    weight          INTEGER NOT NULL,
    group_names     TEXT NOT NULL,
    status          VARCHAR(16) NOT NULL,
    status_reason   TEXT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE prices (
    model                       VARCHAR(191) PRIMARY KEY,
    input_nanos_per_mtok        BIGINT,
    output_nanos_per_mtok       BIGINT,
    cached_input_nanos_per_mtok BIGINT,
    cache_write_nanos_per_mtok  BIGINT,
    per_image_nanos             BIGINT,
    per_call_nanos              BIGINT,
    per_second_nanos            BIGINT,
    updated_at                  BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Every balance change is a row here: a user's balance equals the sum of that user's rows.
CREATE TABLE ledger (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    user_id         BIGINT NOT NULL,
    amount_nanos    BIGINT NOT NULL,
    kind            VARCHAR(16) NOT NULL,
    reference       VARCHAR(64),
    note            TEXT,
    created_at      BIGINT NOT NULL,
    FOREIGN KEY (user_id) REFERENCES users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX ledger_user ON ledger (user_id, created_at);

CREATE TABLE usage_logs (
    id                  BIGINT AUTO_INCREMENT PRIMARY KEY,
    request_id          VARCHAR(64) NOT NULL,
    created_at          BIGINT NOT NULL,
    user_id             BIGINT NOT NULL,
    key_id              BIGINT NOT NULL,
    endpoint            VARCHAR(64) NOT NULL,
    model               VARCHAR(191) NOT NULL,
    upstream_model      VARCHAR(191),
    channel_id          BIGINT,
    status_code         INTEGER NOT NULL,
    stream              INTEGER NOT NULL,
    prompt_tokens       BIGINT NOT NULL,
    completion_tokens   BIGINT NOT NULL,
    cached_tokens       BIGINT NOT NULL,
    cache_write_tokens  BIGINT NOT NULL,
    units               BIGINT NOT NULL,
    cost_nanos          BIGINT NOT NULL,
    latency_ms          BIGINT NOT NULL,
    first_byte_ms       BIGINT,
    end_reason          VARCHAR(16) NOT NULL,
    billed_basis        VARCHAR(16) NOT NULL,
    attempts            INTEGER NOT NULL,
    error               TEXT
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX usage_logs_time ON usage_logs (created_at);
CREATE INDEX usage_logs_user ON usage_logs (user_id, created_at);
CREATE INDEX usage_logs_key ON usage_logs (key_id, created_at);
CREATE INDEX usage_logs_model ON usage_logs (model, created_at);
CREATE INDEX usage_logs_channel ON usage_logs (channel_id, created_at);
