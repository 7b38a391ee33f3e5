--[[
  Takes over batches whose staging or enqueueing process stopped renewing its lease (it died), so
  that exactly one recovering process rolls each back (staging) or forward (committed).

  KEYS[1] the pending batches sorted set (batch id -> lease expiry, ms)
  ARGV[1] now (ms)    ARGV[2] length of the new lease (ms)    ARGV[3] most batches to take

  Returns the batch ids taken, each now leased to the caller.
]]
local expired = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[1], "LIMIT", 0, tonumber(ARGV[3]))
local leaseUntil = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, id in ipairs(expired) do
  redis.call("ZADD", KEYS[1], leaseUntil, id)
end
return expired
