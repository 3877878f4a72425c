-- Gateway instances sharing this store. Each live instance stamps heartbeat_at every cluster.heartbeat_ms;
-- one not stamped within cluster.instance_timeout_ms counts as gone, and its holds are released.
CREATE TABLE cluster_instances (
    instance_id   VARCHAR(64) NOT NULL PRIMARY KEY,
    started_at    BIGINT      NOT NULL,
    heartbeat_at  BIGINT      NOT NULL
);

-- Change notices between instances: what was stored (a channel, price, key, user, group, limit) and by whom.
-- Every instance polls rows newer than the last it saw and re-reads what they name; rows are pruned after a minute.
CREATE TABLE cluster_changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        VARCHAR(16)  NOT NULL,
    item        VARCHAR(191) NOT NULL,
    origin      VARCHAR(64)  NOT NULL,
    created_at  BIGINT       NOT NULL
);
CREATE INDEX cluster_changes_created ON cluster_changes (created_at);

-- Balance holds of requests in flight, kept in the store only while more than one instance is live: a hold is
-- admitted only if the user's stored balance (and the key's stored remaining limit) covers it and every other
-- stored hold. A hold is deleted in the ledger transaction that writes its request's charge.
CREATE TABLE cluster_holds (
    instance_id   VARCHAR(64)  NOT NULL,
    request_id    VARCHAR(64)  NOT NULL,
    user_id       BIGINT       NOT NULL,
    key_id        BIGINT       NOT NULL,
    user_nanos    BIGINT       NOT NULL,
    key_nanos     BIGINT       NOT NULL,
    created_at    BIGINT       NOT NULL,
    PRIMARY KEY (instance_id, request_id)
);
CREATE INDEX cluster_holds_user ON cluster_holds (user_id);
CREATE INDEX cluster_holds_key ON cluster_holds (key_id);
