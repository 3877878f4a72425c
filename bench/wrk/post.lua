-- wrk script for bench/run: POSTs one JSON body with the benchmark key, and reports one JSON line.
--   BENCH_BODY  path of the request body (a file under bench/bodies/)
--   BENCH_KEY   API key sent as "Authorization: Bearer ..." (the same bytes to every target; the fake
--               upstream and nginx ignore it, Antler authenticates it)
local path = os.getenv("BENCH_BODY") or error("BENCH_BODY is not set")
local file = assert(io.open(path, "rb"))
local body = file:read("*a"):gsub("%s+$", "")
file:close()

wrk.method = "POST"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. (os.getenv("BENCH_KEY") or "sk-bench")

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"max":%d,"mean":%.1f}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
