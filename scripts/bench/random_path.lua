-- wrk script: each request GETs a path picked at random from the file BENCH_PATHS (one
-- path per line), so requests spread over the catalogue as real visitors do.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
  if line ~= "" then paths[#paths + 1] = line end
end

function init(args)
  -- wrk's threads share a seed unless told otherwise.
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end
