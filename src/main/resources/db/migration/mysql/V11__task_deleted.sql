-- When the owner deleted a task's result (a video: DELETE /v1/videos/{id}); null while it is not deleted.
-- A deleted task stays for the books (its charge, refund and settlement) but is gone for its owner.
ALTER TABLE tasks ADD COLUMN deleted_at BIGINT NULL;
