-- Ephemeral realtime keys (POST /v1/realtime/client_secrets): only the SHA-256 of the ephemeral key is kept,
-- bound to the API key that minted it (and to a model when one was named). A key is spent by one
-- compare-and-set (UPDATE ... WHERE used_at IS NULL AND expires_at > now), so it opens one session however
-- many instances share the store, and survives a restart until it expires. Expired rows are purged.
CREATE TABLE realtime_secrets (
    secret_hash CHAR(64)     NOT NULL PRIMARY KEY,
    api_key_id  BIGINT       NOT NULL,
    model       VARCHAR(191),
    created_at  BIGINT       NOT NULL,
    expires_at  BIGINT       NOT NULL,
    used_at     BIGINT
);
CREATE INDEX realtime_secrets_expiry ON realtime_secrets (expires_at);
