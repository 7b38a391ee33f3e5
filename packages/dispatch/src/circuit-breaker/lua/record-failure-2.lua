--[[
  Counts a failed call. Closed: the breaker opens once `threshold` failures fall within the window
  (the failure list keeps only the latest `threshold` times, so the check is O(1): is the oldest of
  them younger than the window?). Half-open: the probe (or any call) failed, so it opens again,
  with a cool-down that grows with each consecutive opening. Open: a call that started before the
  breaker opened; it changes nothing.

  KEYS[1] breaker state hash   KEYS[2] failure times list (newest first)
  ARGV[1] failure threshold
  ARGV[2] failure window ms
  ARGV[3] first cool-down ms
  ARGV[4] cool-down growth factor per consecutive opening (1 = constant)
  ARGV[5] longest cool-down ms
  ARGV[6] how long the state outlives a cool-down, ms (a deployment nobody calls forgets)

  Returns {change ("opened" or ""), cool-down ms of that opening (0 without one)}.
]]
--- @include "now-ms"

local now = nowMs()
local threshold = tonumber(ARGV[1])
local windowMs = tonumber(ARGV[2])
local state = redis.call("HGET", KEYS[1], "state") or "closed"

local function open()
  local opens = redis.call("HINCRBY", KEYS[1], "opens", 1)
  local coolDownMs = math.min(tonumber(ARGV[5]), tonumber(ARGV[3]) * tonumber(ARGV[4]) ^ (opens - 1))
  coolDownMs = math.floor(coolDownMs)
  redis.call("HSET", KEYS[1], "state", "open", "opened_at", int(now), "next_probe_at", int(now + coolDownMs))
  redis.call("HDEL", KEYS[1], "probe_at")
  redis.call("PEXPIRE", KEYS[1], int(coolDownMs + tonumber(ARGV[6])))
  return { "opened", coolDownMs }
end

if state == "open" then
  return { "", 0 }
end
if state == "half_open" then
  return open()
end

redis.call("LPUSH", KEYS[2], int(now))
redis.call("LTRIM", KEYS[2], 0, threshold - 1)
redis.call("PEXPIRE", KEYS[2], windowMs)
local oldest = tonumber(redis.call("LINDEX", KEYS[2], threshold - 1))
if oldest and oldest > now - windowMs then
  return open()
end
return { "", 0 }
