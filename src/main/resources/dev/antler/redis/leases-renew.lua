-- Renews the leases of requests still running: slots and holds of a live instance never expire under them.
-- KEYS: sorted sets of leases (slots or hold expiries); ARGV: 1 new expiry ms, 2 key TTL ms, then one lease per key.
-- XX: a lease already released (or expired) is not brought back.
for i, key in ipairs(KEYS) do
  if redis.call('ZADD', key, 'XX', 'CH', ARGV[1], ARGV[i + 2]) == 1 then
    redis.call('PEXPIRE', key, ARGV[2])
  end
end
return 'ok'
