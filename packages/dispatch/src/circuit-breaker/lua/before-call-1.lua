--[[
  May a call go to this deployment now? The open -> half_open transition happens here, and hands
  out exactly one probe across all processes (this script is the only place that grants it).

  KEYS[1] breaker state hash
  ARGV[1] probe lease ms: a probe not reported within it is presumed lost (its worker died) and
          the next caller gets a new probe
  ARGV[2] retry hint ms for callers refused while a probe is out

  Returns {1, probe 1/0, change ("half_opened" or "")} when allowed,
  {0, state ("open" / "half_open"), retryInMs} when not.
]]
--- @include "now-ms"

local now = nowMs()
local leaseMs = tonumber(ARGV[1])
local fields = redis.call("HMGET", KEYS[1], "state", "next_probe_at", "probe_at")
local state = fields[1] or "closed"

if state == "open" then
  local nextProbeAt = tonumber(fields[2]) or now
  if now < nextProbeAt then
    return { 0, "open", nextProbeAt - now }
  end
  redis.call("HSET", KEYS[1], "state", "half_open", "probe_at", int(now))
  return { 1, 1, "half_opened" }
end

if state == "half_open" then
  local probeAt = tonumber(fields[3]) or 0
  if now >= probeAt + leaseMs then
    redis.call("HSET", KEYS[1], "probe_at", int(now))
    return { 1, 1, "" }
  end
  return { 0, "half_open", math.max(1, math.min(tonumber(ARGV[2]), probeAt + leaseMs - now)) }
end

return { 1, 0, "" }
