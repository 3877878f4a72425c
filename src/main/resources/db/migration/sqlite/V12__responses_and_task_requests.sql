-- Which channel created each Responses API response, and for whom: GET, DELETE, cancel and input_items on
-- /v1/responses/{id} go to that channel, for that user only (another user's id is a 404).
CREATE TABLE responses (
    response_id VARCHAR(191) NOT NULL PRIMARY KEY,
    user_id     BIGINT NOT NULL,
    channel_id  BIGINT NOT NULL,
    model       VARCHAR(191) NULL,
    created_at  BIGINT NOT NULL
);

-- The request that submitted a task (its usage row's request_id), set when its charge is written: the usage
-- summary nets a task's refunds and settlement against that row (a task's net charge is its cost_nanos, or
-- nothing once refunded).
ALTER TABLE tasks ADD COLUMN request_id VARCHAR(64) NULL;
CREATE INDEX tasks_request ON tasks (request_id);
