--[[
  Appends an event to a job's event stream and announces it on the router's event channel, in one
  step, so that a listener that reads the stream after subscribing misses nothing and a resumed
  stream (Last-Event-ID) replays exactly what live listeners saw.

  The stream of a running job lives as long as a record would (refreshed by each event). Once the
  job has finished (its final `job` event, or its record has a TTL or is gone) the stream is kept
  only ARGV[7]: it serves live streams and resumes shortly after the end, while the record answers
  for the job afterwards. That TTL is only ever shortened, so an event that lands after the final
  one (they are sent without waiting) never gives the stream back its full retention.

  KEYS[1] the job's event stream
  KEYS[2] the job's record (same hash tag): no TTL while the job runs
  ARGV[1] channel to announce on
  ARGV[2] job id
  ARGV[3] event type
  ARGV[4] event data (JSON)
  ARGV[5] stream TTL in milliseconds while the job runs
  ARGV[6] most events kept per job (older ones are trimmed)
  ARGV[7] stream TTL in milliseconds once the job has finished (at most ARGV[5])

  Returns the event's stream id (its SSE id).
]]
local id = redis.call("XADD", KEYS[1], "MAXLEN", "~", ARGV[6], "*", "type", ARGV[3], "data", ARGV[4])
if ARGV[3] == "job" or redis.call("PTTL", KEYS[2]) ~= -1 then
  local finishedTtl = tonumber(ARGV[7])
  local current = redis.call("PTTL", KEYS[1])
  -- PEXPIRE's LT option would do this, but only from Redis 7.0 on.
  if current < 0 or current > finishedTtl then
    redis.call("PEXPIRE", KEYS[1], finishedTtl)
  end
else
  redis.call("PEXPIRE", KEYS[1], ARGV[5])
end
redis.call("PUBLISH", ARGV[1], cjson.encode({ job_id = ARGV[2], id = id, type = ARGV[3] }))
return id
