-- One row per running ledger writer (one per gateway process start). Each committed batch of settlements
-- sets last_batch to its sequence number in the same transaction, so a writer that saw its commit fail
-- can tell whether the commit nevertheless happened before it writes the batch again (exactly once).
-- updated_at is also written alone, as a probe that the store accepts writes.
CREATE TABLE ledger_writers (
    writer_id  VARCHAR(64) NOT NULL PRIMARY KEY,
    last_batch BIGINT      NOT NULL,
    updated_at BIGINT      NOT NULL
);
-- Dead-letter entries re-applied from the dead-letter file: inserted in the transaction that applies one,
-- so an entry is never applied twice, even when the file could not be rewritten afterwards.
CREATE TABLE ledger_replays (
    entry_id   VARCHAR(64) NOT NULL PRIMARY KEY,
    applied_at BIGINT      NOT NULL
);
