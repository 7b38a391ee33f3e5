--[[
  Creates a job record (version 1) and, when an event is given, appends the job's first event to
  its event stream and announces it, all in one step. Submitting a job then costs one script call
  for both (the API's enqueue path is bound by CPU per call), and no reader ever sees the record
  without its first event. The announcement is the one publish-event-2.lua makes.

  KEYS[1] job record key
  KEYS[2] the job's event stream (same hash tag as the record)
  ARGV[1] JSON document
  ARGV[2] record TTL in milliseconds ("0" = no expiry)
  ARGV[3] event type ("" = no event)
  ARGV[4] event data (JSON)
  ARGV[5] channel to announce on
  ARGV[6] job id
  ARGV[7] stream TTL in milliseconds
  ARGV[8] most events kept per job

  Returns 1, or -1 when the record exists already (nothing is written then).
]]
if redis.call("HGET", KEYS[1], "v") then
  return -1
end
redis.call("HSET", KEYS[1], "v", 1, "doc", ARGV[1])
local ttl = tonumber(ARGV[2])
if ttl > 0 then
  redis.call("PEXPIRE", KEYS[1], ttl)
end
if ARGV[3] ~= "" then
  local id = redis.call("XADD", KEYS[2], "MAXLEN", "~", ARGV[8], "*", "type", ARGV[3], "data", ARGV[4])
  redis.call("PEXPIRE", KEYS[2], ARGV[7])
  redis.call("PUBLISH", ARGV[5], cjson.encode({ job_id = ARGV[6], id = id, type = ARGV[3] }))
end
return 1
