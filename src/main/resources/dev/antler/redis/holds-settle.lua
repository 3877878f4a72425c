-- After a ledger commit: the user's new stored balance (if newer than the mirror's) and the end of the holds of
-- the requests it charged, in one step, so no admission sees the charge twice or not at all.
-- KEYS: 1 the mirror, 2 the user's holds, 3 the generation
-- ARGV: 1 stored balance less the holds kept in the store (or -1: none read), 2 its version (or -1), then request ids
-- A missing mirror, or one of another generation, is left alone: the next admission reads the store.
if tonumber(ARGV[2]) >= 0 then
  local gen = redis.call('GET', KEYS[3]) or '0'
  local mirror = redis.call('HMGET', KEYS[1], 'v', 'g')
  if mirror[1] and mirror[2] == gen and tonumber(mirror[1]) < tonumber(ARGV[2]) then
    redis.call('HSET', KEYS[1], 'b', ARGV[1], 'v', ARGV[2])
  end
end
for i = 3, #ARGV do
  redis.call('HDEL', KEYS[2], ARGV[i])
end
return 'ok'
