-- Takes one balance hold against a user's mirrored balance, for every gateway instance at once.
-- KEYS: 1 the mirror (hash b: stored balance less the holds kept in the store, v: its version, g: generation),
--       2 the user's holds (hash request id -> "nano-USD:expiry ms"), 3 the generation (string)
-- ARGV: 1 now ms, 2 request id, 3 hold nano-USD, 4 expiry ms
-- Returns {'ok', available after}, {'short', available}, or {'load', generation}: the mirror is missing or of an
-- older generation; the caller reads the store and sets it (holds-load.lua), then tries again. {'lost'}: there is
-- no generation, so Redis lost its data (restarted empty) with the holds in flight: holds go to the store.
local now = tonumber(ARGV[1])
local gen = redis.call('GET', KEYS[3])
if not gen then
  return { 'lost' }
end
local held, expired = 0, false
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  local sep = string.find(all[i + 1], ':', 1, true)
  if tonumber(string.sub(all[i + 1], sep + 1)) <= now then
    redis.call('HDEL', KEYS[2], all[i])
    expired = true
  else
    held = held + tonumber(string.sub(all[i + 1], 1, sep - 1))
  end
end
if expired then
  -- A hold ran out: its instance died or lost Redis, maybe after its charge was written to the store but before
  -- the mirror learned of it. The mirror is read from the store again.
  redis.call('DEL', KEYS[1])
end
local mirror = redis.call('HMGET', KEYS[1], 'b', 'g')
if not mirror[1] or mirror[2] ~= gen then
  return { 'load', gen }
end
local available = tonumber(mirror[1]) - held
local amount = tonumber(ARGV[3])
if available < amount then
  return { 'short', available }
end
redis.call('HSET', KEYS[2], ARGV[2], ARGV[3] .. ':' .. ARGV[4])
return { 'ok', available - amount }
