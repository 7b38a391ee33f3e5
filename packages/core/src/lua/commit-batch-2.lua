--[[
  Makes a staged batch real: from here on it is visible and will run in full (an enqueue cut short
  by a crash is finished by the recovery). Only a batch still `staging` can be committed, so one
  that the recovery rolled back meanwhile stays gone.

  KEYS[1] the batch hash          KEYS[2] the batch's custom ids hash (not needed any more)
  ARGV[1] how many items it holds

  Returns 1 when committed, 0 when the batch is not staging (rolled back).
]]
if redis.call("HGET", KEYS[1], "state") ~= "staging" then
  return 0
end
redis.call(
  "HSET", KEYS[1],
  "state", "committing", "status", "queued", "enqueued", 0,
  "total", ARGV[1], "queued", ARGV[1], "running", 0, "succeeded", 0, "failed", 0, "cancelled", 0, "cost_e10", 0
)
redis.call("DEL", KEYS[2])
return 1
