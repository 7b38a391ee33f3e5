--[[
  Marks a batch cancelled (its items are cancelled one by one afterwards, by the caller).

  KEYS[1] the batch hash

  Returns "missing" (no such batch, or still staging), "completed" (finished: nothing to cancel),
  "cancelled" (it was already) or "ok".
]]
local fields = redis.call("HMGET", KEYS[1], "state", "status")
if not fields[1] or fields[1] == "staging" then
  return "missing"
end
if fields[2] == "completed" or fields[2] == "cancelled" then
  return fields[2]
end
redis.call("HSET", KEYS[1], "status", "cancelled")
return "ok"
