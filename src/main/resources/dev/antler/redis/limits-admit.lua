-- Admits one request on the limits shared by every gateway instance, atomically: checks first, then counts.
-- KEYS: 1 requests window (hash second -> count), 2 tokens window (hash second -> tokens),
--       3 concurrency slots (zset lease -> expiry ms), 4 the user's spend today (string, nano-USD),
--       5 the user's holds (hash lease -> nano-USD), 6 their expiries (zset lease -> expiry ms)
-- ARGV: 1 now ms, 2 rpm (0: none), 3 tpm (0: none), 4 max concurrent (0: none), 5 daily cap nano-USD (-1: none),
--       6 token estimate, 7 hold nano-USD, 8 lease id, 9 lease ms, 10 what the instance counts as spent today
-- Returns {'ok', spent today or -1}, or the refusal: {'concurrency', max}, {'requests', rpm, retry s},
--       {'tokens', tpm, counted, estimate, retry s}, {'daily', cap, spent + held, hold}.
local now = tonumber(ARGV[1])
local sec = math.floor(now / 1000)
local rpm, tpm, maxc, cap = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local estimate, hold, lease, lease_ms = tonumber(ARGV[6]), tonumber(ARGV[7]), ARGV[8], tonumber(ARGV[9])

-- The last 60 one-second buckets: their total (never below 0) and the live buckets; older ones are dropped.
-- Buckets after this second count too: instances stamp requests with their own clock before the script runs, so
-- another instance's request may already sit in the next second (leaving it out admitted one request too many).
local function window(key)
  local all = redis.call('HGETALL', key)
  local total, live = 0, {}
  for i = 1, #all, 2 do
    local s, n = tonumber(all[i]), tonumber(all[i + 1])
    if s <= sec - 60 then
      redis.call('HDEL', key, all[i])
    else
      total = total + n
      live[#live + 1] = { s, n }
    end
  end
  if total < 0 then total = 0 end
  return total, live
end

-- Whole seconds until wanted more fits under limit as the oldest buckets leave the window (1 to 60).
local function until_fits(live, total, wanted, limit)
  table.sort(live, function(a, b) return a[1] < b[1] end)
  local freed = 0
  for _, bucket in ipairs(live) do
    freed = freed + bucket[2]
    if total - freed + wanted <= limit then
      return math.min(60, math.max(1, bucket[1] + 60 - sec))
    end
  end
  return 60
end

if maxc > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  if redis.call('ZCARD', KEYS[3]) >= maxc then
    return { 'concurrency', maxc }
  end
end
if rpm > 0 then
  local total, live = window(KEYS[1])
  if total + 1 > rpm then
    return { 'requests', rpm, until_fits(live, total, 1, rpm) }
  end
end
if tpm > 0 then
  local counted, live = window(KEYS[2])
  -- A request larger than the whole limit is admitted into an empty window, never refused forever.
  if counted > 0 and counted + estimate > tpm then
    return { 'tokens', tpm, counted, estimate, until_fits(live, counted, math.min(estimate, tpm), tpm) }
  end
end
local spent = -1
if cap >= 0 then
  local expired = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', now)
  if #expired > 0 then
    redis.call('HDEL', KEYS[5], unpack(expired))
    redis.call('ZREMRANGEBYSCORE', KEYS[6], '-inf', now)
  end
  spent = tonumber(redis.call('GET', KEYS[4]) or '0')
  if tonumber(ARGV[10]) > spent then
    -- This instance knows of more spend (read from the usage log, or counted while Redis was away).
    spent = tonumber(ARGV[10])
    redis.call('SET', KEYS[4], ARGV[10], 'EX', 172800)
  end
  local held = 0
  for _, amount in ipairs(redis.call('HVALS', KEYS[5])) do
    held = held + tonumber(amount)
  end
  if spent + held + hold > cap then
    return { 'daily', cap, spent + held, hold }
  end
end

if maxc > 0 then
  redis.call('ZADD', KEYS[3], now + lease_ms, lease)
  redis.call('PEXPIRE', KEYS[3], lease_ms * 2)
end
if rpm > 0 then
  redis.call('HINCRBY', KEYS[1], sec, 1)
  redis.call('EXPIRE', KEYS[1], 120)
end
if tpm > 0 then
  redis.call('HINCRBY', KEYS[2], sec, ARGV[6])
  redis.call('EXPIRE', KEYS[2], 120)
end
if cap >= 0 and hold > 0 then
  redis.call('HSET', KEYS[5], lease, ARGV[7])
  redis.call('ZADD', KEYS[6], now + lease_ms, lease)
  redis.call('PEXPIRE', KEYS[5], lease_ms * 2)
  redis.call('PEXPIRE', KEYS[6], lease_ms * 2)
end
return { 'ok', spent }
