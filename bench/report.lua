-- wrk script: the request comes from the environment, a JSON summary at the end.
local method = os.getenv("BENCH_METHOD")
local body_file = os.getenv("BENCH_BODY_FILE")
local content_type = os.getenv("BENCH_CONTENT_TYPE")
local cookie = os.getenv("BENCH_COOKIE")
if method then wrk.method = method end
if body_file then
  local file = assert(io.open(body_file, "rb"))
  wrk.body = file:read("*a")
  file:close()
end
if content_type then wrk.headers["Content-Type"] = content_type end
if cookie then wrk.headers["Cookie"] = cookie end

-- several paths (BENCH_PATHS, comma-separated): the requests take turns
local paths = {}
for path in string.gmatch(os.getenv("BENCH_PATHS") or "", "[^,]+") do
  table.insert(paths, path)
end
local turn = 0
if #paths > 0 then
  request = function()
    turn = turn % #paths + 1
    return wrk.format(nil, paths[turn])
  end
end

done = function(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "errors": %d, "non_2xx": %d, "seconds": %f, ' ..
    '"p50": %f, "p95": %f, "p99": %f}\n',
    summary.requests,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    -- the answers of status 400 or more, as wrk counts them in its threads
    summary.errors.status, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(95) / 1e3,
    latency:percentile(99) / 1e3))
end
