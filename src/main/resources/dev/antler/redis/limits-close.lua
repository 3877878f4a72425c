-- Closes one request admitted by limits-admit.lua: frees its slot and hold, corrects its token estimate and,
-- when it settled, counts its charge on the day (or, when it never started, takes back its request).
-- KEYS: as limits-admit.lua, KEYS[4] being the spend of the day the request settles on.
-- ARGV: 1 now ms, 2 second it was counted in, 3 settled (1) or cancelled (0), 4 tokens used minus the estimate,
--       5 counted on requests (1/0), 6 counted on tokens (1/0), 7 lease id, 8 charge nano-USD,
--       9 took a slot (1/0), 10 took a hold (1/0), 11 the user had a daily cap (1/0)
local sec = math.floor(tonumber(ARGV[1]) / 1000)
local at = tonumber(ARGV[2])
local in_window = at > sec - 60
if ARGV[9] == '1' then
  redis.call('ZREM', KEYS[3], ARGV[7])
end
if in_window and ARGV[5] == '1' and ARGV[3] == '0' then
  redis.call('HINCRBY', KEYS[1], at, -1)
end
if in_window and ARGV[6] == '1' and ARGV[4] ~= '0' then
  redis.call('HINCRBY', KEYS[2], at, ARGV[4])
  redis.call('EXPIRE', KEYS[2], 120)
end
if ARGV[10] == '1' then
  redis.call('HDEL', KEYS[5], ARGV[7])
  redis.call('ZREM', KEYS[6], ARGV[7])
end
if ARGV[11] == '1' and ARGV[3] == '1' and ARGV[8] ~= '0' then
  redis.call('INCRBY', KEYS[4], ARGV[8])
  redis.call('EXPIRE', KEYS[4], 172800)
end
return 'ok'
