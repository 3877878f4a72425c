-- Console sign-ins. The cookie holds a random 256-bit id; only its SHA-256 is stored, so a copy of the
-- store does not let anyone in. role is admin (admin key or a user marked admin) or user; user_id is null
-- for an admin-key sign-in. Times are epoch milliseconds: a session ends when unused for the idle time or
-- past the absolute time after created_at (console.session_*_minutes).
CREATE TABLE console_sessions (
    id_hash       CHAR(64) NOT NULL PRIMARY KEY,
    role          VARCHAR(8) NOT NULL,
    user_id       BIGINT,
    csrf_token    VARCHAR(64) NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
CREATE INDEX console_sessions_user ON console_sessions (user_id);
CREATE INDEX console_sessions_seen ON console_sessions (last_seen_at);
