--[[
  Counts a successful call. Half-open: the probe (or a call started before the breaker opened)
  succeeded, so the breaker closes and forgets its failures and its count of openings. Closed:
  nothing to do (failures age out of their window by themselves). Open: a call that started
  before the breaker opened; the probe, not a straggler, decides.

  KEYS[1] breaker state hash   KEYS[2] failure times list

  Returns "closed" when this closed the breaker, else "".
]]
if redis.call("HGET", KEYS[1], "state") == "half_open" then
  redis.call("DEL", KEYS[1], KEYS[2])
  return "closed"
end
return ""
