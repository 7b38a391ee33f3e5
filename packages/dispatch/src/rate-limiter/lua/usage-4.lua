--[[
  What a deployment has used of its budgets in the current window, for an admin view or metrics.
  It drops the permits that have left the window, as an admission would, but never creates keys
  or extends their life.

  KEYS[1] state hash   KEYS[2] log list   KEYS[3] permits hash   KEYS[4] cool-down key
  ARGV[1] window in ms
  ARGV[2] interactive idle ms

  Returns {requests interactive, requests batch, tokens interactive, tokens batch,
  cool-down left ms, interactive active 1/0}.
]]
--- @include "now-ms"
--- @include "limiter-window"

local now = nowMs()
local coolDownMs = math.max(0, redis.call("PTTL", KEYS[4]))
if redis.call("EXISTS", KEYS[1]) == 0 then
  return { 0, 0, 0, 0, coolDownMs, 0 }
end
local window = readWindow(KEYS[1])
expirePermits(window, KEYS[2], KEYS[3], now - tonumber(ARGV[1]))
writeWindow(KEYS[1], KEYS[2], KEYS[3], window, nil)
local active = 0
if window.seen and now - window.seen < tonumber(ARGV[2]) then
  active = 1
end
return { window.req.i, window.req.b, window.tok.i, window.tok.b, coolDownMs, active }
