-- Console sign-in for users: the user's name is the username; password_hash is an Argon2id PHC string
-- ($argon2id$v=19$m=...,t=...,p=...$salt$hash), null when no password is set (no sign-in). is_admin 1 gives the
-- user's console sessions the admin role.
CREATE TABLE user_credentials (
    user_id        BIGINT NOT NULL PRIMARY KEY,
    password_hash  VARCHAR(255),
    is_admin       INTEGER NOT NULL DEFAULT 0,
    updated_at     BIGINT NOT NULL
);

-- Invitations to sign up: the link's token is shown once, only its SHA-256 is kept. status is active, used
-- or revoked; used_by is the user the invite created.
CREATE TABLE invites (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   CHAR(64) NOT NULL UNIQUE,
    group_name   VARCHAR(64) NOT NULL,
    status       VARCHAR(16) NOT NULL,
    expires_at   BIGINT,
    used_by      BIGINT,
    used_at      BIGINT,
    created_at   BIGINT NOT NULL
);
