--[[
  Hands back an unused probe: the caller got it from beforeCall but made no call (e.g. the rate
  limiter refused it), so the next caller may probe at once instead of waiting out the lease.

  KEYS[1] breaker state hash

  Returns 1 when a half-open breaker's probe was released, else 0.
]]
if redis.call("HGET", KEYS[1], "state") ~= "half_open" then
  return 0
end
redis.call("HSET", KEYS[1], "probe_at", "0")
return 1
