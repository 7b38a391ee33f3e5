--[[
  Puts a finished delivery back to "pending" for a manual re-send, unless it is pending already,
  so two re-send requests at once queue one re-send, not two.

  KEYS[1] the job's deliveries hash
  ARGV[1] the delivery id (msg_…)
  ARGV[2] its TTL in milliseconds, refreshed

  Returns 1 when claimed, 0 when the delivery is still pending, -1 when it does not exist.
]]
local status = redis.call("HGET", KEYS[1], "s:" .. ARGV[1])
if not status then
  return -1
end
if status == "pending" then
  return 0
end
redis.call("HSET", KEYS[1], "s:" .. ARGV[1], "pending")
redis.call("HDEL", KEYS[1], "r:" .. ARGV[1], "f:" .. ARGV[1])
redis.call("PEXPIRE", KEYS[1], ARGV[2])
return 1
