--[[
  Puts a deployment in cool-down (a 429's retry-after): no admission until the key's TTL runs out.
  Only ever extends a cool-down: a short retry-after never cuts a longer one short.

  KEYS[1] cool-down key
  ARGV[1] cool-down in ms

  Returns the cool-down left, in ms.
]]
local left = redis.call("PTTL", KEYS[1])
local ms = tonumber(ARGV[1])
if left < ms then
  redis.call("SET", KEYS[1], "1", "PX", ARGV[1])
  return ms
end
return left
