--[[
  Records whether a batch is on track to finish by its complete_by, and says whether that changed,
  so that of all the workers watching a batch only one logs each change.

  KEYS[1] the batch hash
  ARGV[1] "1" on track, "0" off track

  Returns the previous value ("1", "0", or "" when none was recorded), or false when the batch is
  gone (past its retention): nothing is written then, so no key is re-created without a TTL.
]]
if redis.call("EXISTS", KEYS[1]) == 0 then
  return false
end
local previous = redis.call("HGET", KEYS[1], "on_track") or ""
if previous ~= ARGV[1] then
  redis.call("HSET", KEYS[1], "on_track", ARGV[1])
end
return previous
