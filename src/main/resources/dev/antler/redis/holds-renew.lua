-- Renews the holds of requests still running on a live instance. KEYS: the users' holds hashes;
-- ARGV: 1 new expiry ms, then per key its request id and hold nano-USD. A hold already ended is not brought back.
for i, key in ipairs(KEYS) do
  local id = ARGV[2 * i]
  if redis.call('HEXISTS', key, id) == 1 then
    redis.call('HSET', key, id, ARGV[2 * i + 1] .. ':' .. ARGV[1])
  end
end
return 'ok'
