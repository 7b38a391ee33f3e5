--[[
  Counts one item's new state into its batch: the item's job record was written (status or cost
  changed). Reports are idempotent and may arrive in any order: each carries the record's version,
  and one not newer than the last counted is ignored. The batch finishes exactly once, here, when
  every item is final: `completed` (or it stays `cancelled`), `finished_at` set, and its keys
  start their retention. The first item that runs sets `started_at`.

  KEYS[1] the batch hash          KEYS[2] the item states hash      KEYS[3] the items list
  ARGV[1] job id                  ARGV[2] the record's version      ARGV[3] the job's status
  ARGV[4] the job's cost in 1e-10 USD (an integer)                  ARGV[5] now (ISO-8601)
  ARGV[6] retention of a finished batch, in ms

  Returns 1 when the batch is finished and its webhook has not been queued yet (the caller
  queues it and marks it), else 0.
]]
local state = redis.call("HGET", KEYS[1], "state")
if not state or state == "staging" then
  return 0
end
local version = tonumber(ARGV[2])
local status = ARGV[3]
local cost = tonumber(ARGV[4])
local oldVersion, oldStatus, oldCost = 0, "queued", 0
local counted = redis.call("HGET", KEYS[2], ARGV[1])
if counted then
  local v, s, c = string.match(counted, "^(%d+)|(%a+)|(%-?%d+)$")
  oldVersion, oldStatus, oldCost = tonumber(v), s, tonumber(c)
end

local function needsNotice()
  if redis.call("HEXISTS", KEYS[1], "finished_at") == 1 and redis.call("HEXISTS", KEYS[1], "notified") == 0 then
    return 1
  end
  return 0
end

if version <= oldVersion then
  return needsNotice()
end
redis.call("HSET", KEYS[2], ARGV[1], version .. "|" .. status .. "|" .. string.format("%d", cost))
if status ~= oldStatus then
  redis.call("HINCRBY", KEYS[1], oldStatus, -1)
  redis.call("HINCRBY", KEYS[1], status, 1)
end
if cost ~= oldCost then
  redis.call("HINCRBY", KEYS[1], "cost_e10", string.format("%d", cost - oldCost))
end

local batchStatus = redis.call("HGET", KEYS[1], "status")
if batchStatus == "queued" and status ~= "queued" then
  redis.call("HSET", KEYS[1], "status", "running")
end
-- The estimate's rate counts from the first item that ran (a cancelled one never did).
if status ~= "queued" and status ~= "cancelled" and redis.call("HEXISTS", KEYS[1], "started_at") == 0 then
  redis.call("HSET", KEYS[1], "started_at", ARGV[5])
end
if redis.call("HEXISTS", KEYS[1], "finished_at") == 0 then
  local counts = redis.call("HMGET", KEYS[1], "total", "succeeded", "failed", "cancelled")
  local finished = tonumber(counts[2] or "0") + tonumber(counts[3] or "0") + tonumber(counts[4] or "0")
  if finished >= tonumber(counts[1]) then
    if redis.call("HGET", KEYS[1], "status") ~= "cancelled" then
      redis.call("HSET", KEYS[1], "status", "completed")
    end
    redis.call("HSET", KEYS[1], "finished_at", ARGV[5])
    local ttl = tonumber(ARGV[6])
    for i = 1, 3 do
      redis.call("PEXPIRE", KEYS[i], ttl)
    end
  end
end
return needsNotice()
