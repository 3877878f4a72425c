-- usage_user_hourly re-keyed to start with the hour, as usage_user_daily starts with the day (V20): summing the
-- users of a range of hours (the console's breakdown by user over the last day) then reads only those hours' rows,
-- which lie together. Keyed by user first (V18), one hour's rows were spread over the whole table wherever they were
-- not written in time order: always on MySQL, whose tables are stored in key order, and for the rows V18's backfill
-- wrote, in user order, on SQLite and PostgreSQL; a day's summary by user read a page per row.
CREATE TABLE usage_user_hourly_by_hour (
    user_id            BIGINT NOT NULL,
    hour_start         BIGINT NOT NULL,
    model              VARCHAR(191) NOT NULL,
    channel_id         BIGINT NOT NULL,
    requests           BIGINT NOT NULL DEFAULT 0,
    errors             BIGINT NOT NULL DEFAULT 0,
    prompt_tokens      BIGINT NOT NULL DEFAULT 0,
    completion_tokens  BIGINT NOT NULL DEFAULT 0,
    cached_tokens      BIGINT NOT NULL DEFAULT 0,
    cost_nanos         BIGINT NOT NULL DEFAULT 0,
    lat_00             BIGINT NOT NULL DEFAULT 0,
    lat_01             BIGINT NOT NULL DEFAULT 0,
    lat_02             BIGINT NOT NULL DEFAULT 0,
    lat_03             BIGINT NOT NULL DEFAULT 0,
    lat_04             BIGINT NOT NULL DEFAULT 0,
    lat_05             BIGINT NOT NULL DEFAULT 0,
    lat_06             BIGINT NOT NULL DEFAULT 0,
    lat_07             BIGINT NOT NULL DEFAULT 0,
    lat_08             BIGINT NOT NULL DEFAULT 0,
    lat_09             BIGINT NOT NULL DEFAULT 0,
    lat_10             BIGINT NOT NULL DEFAULT 0,
    lat_11             BIGINT NOT NULL DEFAULT 0,
    lat_12             BIGINT NOT NULL DEFAULT 0,
    lat_13             BIGINT NOT NULL DEFAULT 0,
    lat_14             BIGINT NOT NULL DEFAULT 0,
    lat_15             BIGINT NOT NULL DEFAULT 0,
    lat_16             BIGINT NOT NULL DEFAULT 0,
    lat_17             BIGINT NOT NULL DEFAULT 0,
    lat_18             BIGINT NOT NULL DEFAULT 0,
    lat_19             BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (hour_start, user_id, model, channel_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
INSERT INTO usage_user_hourly_by_hour (user_id, hour_start, model, channel_id, requests, errors, prompt_tokens, completion_tokens, cached_tokens, cost_nanos, lat_00, lat_01, lat_02, lat_03, lat_04, lat_05, lat_06, lat_07, lat_08, lat_09, lat_10, lat_11, lat_12, lat_13, lat_14, lat_15, lat_16, lat_17, lat_18, lat_19)
SELECT user_id, hour_start, model, channel_id, requests, errors, prompt_tokens, completion_tokens, cached_tokens, cost_nanos, lat_00, lat_01, lat_02, lat_03, lat_04, lat_05, lat_06, lat_07, lat_08, lat_09, lat_10, lat_11, lat_12, lat_13, lat_14, lat_15, lat_16, lat_17, lat_18, lat_19
FROM usage_user_hourly ORDER BY hour_start, user_id, model, channel_id;
DROP TABLE usage_user_hourly;
RENAME TABLE usage_user_hourly_by_hour TO usage_user_hourly;
CREATE INDEX usage_user_hourly_user ON usage_user_hourly (user_id, hour_start);
