-- wrk script: POST /api/v1/orders with a new Idempotency-Key per request.
-- BENCH_TOKEN is the buyer's access token, BENCH_ORDER_BODY the JSON body.
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

local token = os.getenv("BENCH_TOKEN")
local body = os.getenv("BENCH_ORDER_BODY")
local counter = 0

function request()
  counter = counter + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
    ["Idempotency-Key"] = string.format("bench-%d-%d-%d", os.time(), id or 0, counter),
  }
  return wrk.format("POST", "/api/v1/orders", headers, body)
end
