--[[
  Replaces a permit's token estimate with the tokens the call really used, so a call that used
  fewer tokens than estimated frees budget at once (and one that used more takes it).

  KEYS[1] state hash   KEYS[2] permits hash
  ARGV[1] permit id ("<admitted at ms>-<seq>-<class>")
  ARGV[2] actual tokens

  Returns 1 when corrected, 0 when the permit has already left the window (nothing to correct).
  Settling twice with the same count is harmless: the second changes nothing.
]]
local counted = redis.call("HGET", KEYS[2], ARGV[1])
if not counted then
  return 0
end
local class = string.match(ARGV[1], "%-([ib])$")
local delta = tonumber(ARGV[2]) - tonumber(counted)
redis.call("HSET", KEYS[2], ARGV[1], ARGV[2])
redis.call("HINCRBY", KEYS[1], "tok_" .. class, string.format("%.0f", delta))
return 1
