-- What the admin API made, changed or deleted among the things the config file seeds: re-applying the
-- file at start leaves these alone (the config seeds, the admin's edits win). kind is channel, group
-- or price (name: the channel, group or model name) or user or key (name: the id).
CREATE TABLE admin_edits (
    kind        VARCHAR(16) NOT NULL,
    name        VARCHAR(191) NOT NULL,
    edited_at   BIGINT NOT NULL,
    PRIMARY KEY (kind, name)
);
