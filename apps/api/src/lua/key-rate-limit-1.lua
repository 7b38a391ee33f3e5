--[[
  Per-API-key request limit as a GCRA (generic cell rate algorithm): one key per tenant holding
  the "theoretical arrival time" of the next request, O(1) per request, exact, and the same for
  every API process because the clock is Redis's own (TIME), not the callers'.

  KEYS[1] the tenant's limiter key
  ARGV[1] emission interval in ms (one request per this long, sustained: 60000 / requests per minute)
  ARGV[2] burst: requests allowed at once

  Returns { allowed (1/0), remaining, retry_after_ms, reset_ms }:
  remaining requests right now, the wait before the next one is allowed (0 when allowed), and when
  the key's budget is whole again.
]]
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call("TIME")
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local tolerance = interval * (burst - 1)

local tat = tonumber(redis.call("GET", KEYS[1]) or now)
if tat < now then tat = now end

if tat - now > tolerance then
  return { 0, 0, tat - tolerance - now, tat - now }
end

local newTat = tat + interval
-- PX takes a whole number of ms >= 1, while the interval is fractional whenever the limit does not
-- divide 60000 (7 rpm, or the tiny intervals of huge limits): round the expiry up, never to 0.
redis.call("SET", KEYS[1], newTat, "PX", math.max(1, math.ceil(newTat - now)))
local remaining = math.floor((tolerance - (newTat - interval - now)) / interval)
return { 1, remaining, 0, newTat - now }
