-- wrk script: POST /api/v1/orders by card, each request from a random buyer (one access
-- token per line of BENCH_TOKENS) on a random service (lines "serviceId packageId" of
-- BENCH_SERVICES), with a new Idempotency-Key every time.
local tokens, services = {}, {}
for line in io.lines(os.getenv("BENCH_TOKENS")) do
  if line ~= "" then tokens[#tokens + 1] = line end
end
for line in io.lines(os.getenv("BENCH_SERVICES")) do
  local service, package = line:match("^(%S+)%s+(%S+)$")
  if service then services[#services + 1] = { service, package } end
end

-- `thread_id` is a global that setup() gives each thread (a local would hide it).
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("thread_id", threads)
end

function init(args)
  math.randomseed(os.time() + (thread_id or 0) * 7919)
end

local counter = 0
function request()
  counter = counter + 1
  local pick = services[math.random(#services)]
  local body = string.format(
    '{"serviceId": "%s", "packageId": "%s", "requirements": "bench", "payment": {"method": "card", "token": "tok_visa"}}',
    pick[1], pick[2])
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
    ["Idempotency-Key"] = string.format("bench-%d-%d-%d", os.time(), thread_id or 0, counter),
  }
  return wrk.format("POST", "/api/v1/orders", headers, body)
end
