-- wrk script: count responses by status code and report the 95th percentile, so a load report can
-- tell deliberate 429 answers from errors. Runs with any number of wrk threads.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  statuses = {}
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      io.write(string.format("status %d %d\n", status, n))
    end
  end
  io.write(string.format("p95_us %d\n", latency:percentile(95)))
end
