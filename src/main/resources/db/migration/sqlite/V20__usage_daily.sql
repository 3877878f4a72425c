-- Usage rolled up by UTC day (days start at multiples of 86,400,000 ms since the epoch), beside the hourly roll-up
-- of V18 and with the same columns: usage_daily by model and channel (0: no channel), usage_user_daily the same per
-- user. The ledger writer keeps them in the same transaction as the usage rows and the hourly cells (a task's refund
-- or settlement moves its submit's cell here too), so a whole day here equals the log's rows of that day. Summaries
-- and charts read whole days here, the whole hours at either end from the hourly tables, the rest from the log.
-- usage_user_daily's key starts with the day: grouping the users of a range of days reads only those days' rows
-- (about one row per active user and day), and usage_user_daily_user serves the reads of one user.
-- The backfill below sums the hourly tables, which V18 filled from the log, in key order, so that a day's rows lie
-- together on disk (as the writer's new rows do, day after day) and reading one day reads few pages.
CREATE TABLE usage_daily (
    day_start          BIGINT NOT NULL,
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
    PRIMARY KEY (day_start, model, channel_id)
);
CREATE TABLE usage_user_daily (
    day_start          BIGINT NOT NULL,
    user_id            BIGINT NOT NULL,
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
    PRIMARY KEY (day_start, user_id, model, channel_id)
);
CREATE INDEX usage_user_daily_user ON usage_user_daily (user_id, day_start);
INSERT INTO usage_daily (day_start, model, channel_id, requests, errors, prompt_tokens, completion_tokens, cached_tokens, cost_nanos, lat_00, lat_01, lat_02, lat_03, lat_04, lat_05, lat_06, lat_07, lat_08, lat_09, lat_10, lat_11, lat_12, lat_13, lat_14, lat_15, lat_16, lat_17, lat_18, lat_19)
SELECT hour_start - hour_start % 86400000, model, channel_id,
       SUM(requests), SUM(errors), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), SUM(cost_nanos), SUM(lat_00), SUM(lat_01), SUM(lat_02), SUM(lat_03), SUM(lat_04), SUM(lat_05), SUM(lat_06), SUM(lat_07), SUM(lat_08), SUM(lat_09), SUM(lat_10), SUM(lat_11), SUM(lat_12), SUM(lat_13), SUM(lat_14), SUM(lat_15), SUM(lat_16), SUM(lat_17), SUM(lat_18), SUM(lat_19)
FROM usage_hourly GROUP BY 1, 2, 3 ORDER BY 1, 2, 3;
INSERT INTO usage_user_daily (day_start, user_id, model, channel_id, requests, errors, prompt_tokens, completion_tokens, cached_tokens, cost_nanos, lat_00, lat_01, lat_02, lat_03, lat_04, lat_05, lat_06, lat_07, lat_08, lat_09, lat_10, lat_11, lat_12, lat_13, lat_14, lat_15, lat_16, lat_17, lat_18, lat_19)
SELECT hour_start - hour_start % 86400000, user_id, model, channel_id,
       SUM(requests), SUM(errors), SUM(prompt_tokens), SUM(completion_tokens), SUM(cached_tokens), SUM(cost_nanos), SUM(lat_00), SUM(lat_01), SUM(lat_02), SUM(lat_03), SUM(lat_04), SUM(lat_05), SUM(lat_06), SUM(lat_07), SUM(lat_08), SUM(lat_09), SUM(lat_10), SUM(lat_11), SUM(lat_12), SUM(lat_13), SUM(lat_14), SUM(lat_15), SUM(lat_16), SUM(lat_17), SUM(lat_18), SUM(lat_19)
FROM usage_user_hourly GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4;
