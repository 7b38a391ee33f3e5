--[[
  Marks a batch cancelled (its items are cancelled afterwards, chunk by chunk, by a sweep).

  KEYS[1] the batch hash
  ARGV[1] now (ISO 8601): the batch's cancel_requested_at, kept from the first cancel

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
redis.call("HSETNX", KEYS[1], "cancel_requested_at", ARGV[1])
return "ok"
