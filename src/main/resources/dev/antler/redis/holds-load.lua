-- Sets a user's mirror from the store, unless Redis already has one as new, or holds moved meanwhile.
-- KEYS: 1 the mirror, 2 the generation; ARGV: 1 the generation the caller saw before it read the store,
--       2 stored balance less the holds kept in the store, 3 the balance's version
-- Returns 1 when the mirror is current (set now or before), 0 when the generation moved on (read again).
local gen = redis.call('GET', KEYS[2]) or '0'
if gen ~= ARGV[1] then
  return 0
end
local mirror = redis.call('HMGET', KEYS[1], 'v', 'g')
if mirror[1] and mirror[2] == gen and tonumber(mirror[1]) >= tonumber(ARGV[3]) then
  return 1
end
redis.call('HSET', KEYS[1], 'b', ARGV[2], 'v', ARGV[3], 'g', gen)
return 1
