-- Balance holds shared on Redis (redis.url set, more than one instance live). Redis mirrors each user's stored
-- balance; balance_version moves forward with every write of the balance, so a mirror is only ever replaced by a
-- newer one, whichever instance's write reaches Redis first.
ALTER TABLE users ADD COLUMN balance_version BIGINT NOT NULL DEFAULT 0;

-- Where each instance admits holds: 0 it cannot reach Redis (or has none), 1 it reaches Redis but holds are in
-- the store, 2 holds are in Redis. Holds move to Redis only when every live instance reaches it, and a hold is
-- taken in the store only while no live instance is at 2 (their holds are copied here when they leave Redis).
ALTER TABLE cluster_instances ADD COLUMN redis_state SMALLINT NOT NULL DEFAULT 0;
