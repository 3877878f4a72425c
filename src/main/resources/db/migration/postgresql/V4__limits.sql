-- Rate limits per API key and a daily spend cap per user (config file or admin API). A null column
-- is "no limit of that kind"; a key or user without a row has no limits.
CREATE TABLE key_limits (
    key_id          BIGINT PRIMARY KEY,
    rpm             INTEGER,
    tpm             BIGINT,
    max_concurrent  INTEGER,
    updated_at      BIGINT NOT NULL
);

CREATE TABLE user_limits (
    user_id            BIGINT PRIMARY KEY,
    daily_spend_nanos  BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);
