--[[
  Appends an event to a job's event stream and announces it on the router's event channel, in one
  step, so that a listener that reads the stream after subscribing misses nothing and a resumed
  stream (Last-Event-ID) replays exactly what live listeners saw.

  KEYS[1] the job's event stream
  ARGV[1] channel to announce on
  ARGV[2] job id
  ARGV[3] event type
  ARGV[4] event data (JSON)
  ARGV[5] stream TTL in milliseconds
  ARGV[6] most events kept per job (older ones are trimmed)

  Returns the event's stream id (its SSE id).
]]
local id = redis.call("XADD", KEYS[1], "MAXLEN", "~", ARGV[6], "*", "type", ARGV[3], "data", ARGV[4])
redis.call("PEXPIRE", KEYS[1], ARGV[5])
redis.call("PUBLISH", ARGV[1], cjson.encode({ job_id = ARGV[2], id = id, type = ARGV[3] }))
return id
