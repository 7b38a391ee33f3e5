--[[
  The sliding window of one deployment's limiter: a log (list) of the permits admitted in the last
  window, oldest first, and running totals of their requests and tokens per class, so a decision
  never sums the log. A permit id is "<admitted at ms>-<seq>-<class>", so the head of the log says
  by itself when it leaves the window. Each permit is pushed once and popped once: O(1) amortized.
]]
local function parsePermit(permitId)
  local admittedAtMs, class = string.match(permitId, "^(%d+)%-%d+%-([ib])$")
  return tonumber(admittedAtMs), class
end

local function readWindow(stateKey)
  local v = redis.call("HMGET", stateKey, "seq", "req_i", "req_b", "tok_i", "tok_b", "i_seen")
  return {
    seq = tonumber(v[1]) or 0,
    req = { i = tonumber(v[2]) or 0, b = tonumber(v[3]) or 0 },
    tok = { i = tonumber(v[4]) or 0, b = tonumber(v[5]) or 0 },
    seen = tonumber(v[6]),
  }
end

-- Takes the permits admitted at or before cutoffMs off the log and off the totals.
local function expirePermits(window, logKey, permitsKey, cutoffMs)
  local newest = redis.call("LINDEX", logKey, -1)
  if not newest or parsePermit(newest) <= cutoffMs then
    -- The whole log is old (the usual state after an idle spell): drop it in one step. An empty
    -- log also resets the totals, so they can never drift from what the log holds.
    redis.call("DEL", logKey, permitsKey)
    window.req.i, window.req.b, window.tok.i, window.tok.b = 0, 0, 0, 0
    return
  end
  while true do
    local oldest = redis.call("LINDEX", logKey, 0)
    local admittedAtMs, class = parsePermit(oldest)
    if admittedAtMs > cutoffMs then
      return
    end
    redis.call("LPOP", logKey)
    local tokens = tonumber(redis.call("HGET", permitsKey, oldest)) or 0
    redis.call("HDEL", permitsKey, oldest)
    window.req[class] = window.req[class] - 1
    window.tok[class] = window.tok[class] - tokens
  end
end

-- HSET keeps a key's TTL; ttlMs (when given) sets a new one on all three keys.
local function writeWindow(stateKey, logKey, permitsKey, window, ttlMs)
  local fields = { "seq", int(window.seq), "req_i", int(window.req.i), "req_b", int(window.req.b),
    "tok_i", int(window.tok.i), "tok_b", int(window.tok.b) }
  if window.seen then
    table.insert(fields, "i_seen")
    table.insert(fields, int(window.seen))
  end
  redis.call("HSET", stateKey, unpack(fields))
  if ttlMs then
    redis.call("PEXPIRE", stateKey, ttlMs)
    redis.call("PEXPIRE", logKey, ttlMs)
    redis.call("PEXPIRE", permitsKey, ttlMs)
  end
end
