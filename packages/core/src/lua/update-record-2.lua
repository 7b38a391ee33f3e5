--[[
  Compare-and-set of a job record (a hash with `v` = version and `doc` = JSON).
  The write lands only if nobody else wrote since the caller read version ARGV[1], so the API
  (cancel) and a worker (attempt result) never overwrite each other's changes.

  A write that finishes the job (a TTL) also shortens the job's event stream to ARGV[4], never
  lengthening it: a job that ends without a final event of its own (a cancelled map-reduce part)
  keeps its stream no longer than one that sent it (publish-event-2.lua does the same).

  KEYS[1] job record key
  KEYS[2] the job's event stream (same hash tag)
  ARGV[1] expected version ("0" when the record must not exist yet)
  ARGV[2] new JSON document
  ARGV[3] TTL in milliseconds ("0" = no expiry)
  ARGV[4] the event stream's TTL in milliseconds once the job has finished

  Returns the new version, or -1 when the version did not match.
]]
local current = redis.call("HGET", KEYS[1], "v")
if (current or "0") ~= ARGV[1] then
  return -1
end
local nextVersion = tonumber(ARGV[1]) + 1
redis.call("HSET", KEYS[1], "v", nextVersion, "doc", ARGV[2])
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  redis.call("PEXPIRE", KEYS[1], ttl)
  local streamTtl = tonumber(ARGV[4])
  local streamLeft = redis.call("PTTL", KEYS[2])
  -- -2: no stream to shorten.
  if streamLeft == -1 or streamLeft > streamTtl then
    redis.call("PEXPIRE", KEYS[2], streamTtl)
  end
else
  redis.call("PERSIST", KEYS[1])
end
return nextVersion
