-- Prints the figures the benchmarks need (latency in microseconds) after a wrk run.
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("REPORT %d %d %d %d %d %d %d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
