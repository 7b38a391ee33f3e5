--[[
  A breaker's state for an admin view; changes nothing.

  KEYS[1] breaker state hash   KEYS[2] failure times list
  ARGV[1] failure window ms

  Returns {state, failures within the window, opened_at ms ("" if none),
  next_probe_at ms ("" if none), now ms}.
]]
--- @include "now-ms"

local now = nowMs()
local fields = redis.call("HMGET", KEYS[1], "state", "opened_at", "next_probe_at")
local failures = 0
for _, at in ipairs(redis.call("LRANGE", KEYS[2], 0, -1)) do
  if tonumber(at) > now - tonumber(ARGV[1]) then
    failures = failures + 1
  end
end
return { fields[1] or "closed", failures, fields[2] or "", fields[3] or "", int(now) }
