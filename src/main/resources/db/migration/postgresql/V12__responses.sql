-- Which channel created each Responses API response, and for whom: GET, DELETE, cancel and input_items on
-- /v1/responses/{id} go to that channel, for that user only (another user's id is a 404).
CREATE TABLE responses (
    response_id VARCHAR(191) NOT NULL PRIMARY KEY,
    user_id     BIGINT NOT NULL,
    channel_id  BIGINT NOT NULL,
    model       VARCHAR(191) NULL,
    created_at  BIGINT NOT NULL
);
