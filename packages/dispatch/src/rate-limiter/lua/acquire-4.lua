--[[
  Decides one admission against a deployment's shared RPM and TPM budgets, atomically, so no
  interleaving of worker processes can over-admit.

  Sliding window log (see lua-includes/limiter-window.lua): exact over any window (not a bucket
  approximation), O(1) amortized per call, memory O(permits admitted in one window) <= RPM.

  Class reservation: interactive work may use the whole budget. Batch work is admitted only if,
  after it, the budget still holds the part of the interactive reserve that interactive work is
  not using, i.e. used + ask + max(0, reserve - used by interactive) <= budget, for requests and
  tokens alike. That reserve is held back only while interactive work "needs" it: while it asked
  (admitted or not) within the last ARGV[8] ms. Otherwise batch may borrow the whole budget; when
  interactive work comes back, batch stops at once and the borrowed part frees as batch permits
  age out of the window, at the pace batch was admitted.

  KEYS[1] state hash         KEYS[2] log list
  KEYS[3] permits hash       KEYS[4] cool-down key (its TTL is the cool-down left)

  ARGV[1] class: "i" interactive, "b" batch
  ARGV[2] estimated tokens of the call (prompt + max output)
  ARGV[3] requests per window ("0" = no request limit)
  ARGV[4] tokens per window ("0" = no token limit)
  ARGV[5] requests reserved for interactive work
  ARGV[6] tokens reserved for interactive work
  ARGV[7] window in ms
  ARGV[8] interactive idle ms: after this long without an interactive ask, batch may borrow the reserve
  ARGV[9] most permits read to work out a wait (bounds the work of a refusal)

  Returns {1, permitId} when admitted, else {0, reason, retryAfterMs} with reason one of
  "cooling_down", "rpm", "tpm", "interactive_reserve", or "too_large" (retryAfterMs -1: the call
  needs more tokens than the whole budget and can never be admitted here).
]]
--- @include "now-ms"
--- @include "limiter-window"

local class = ARGV[1]
local ask = tonumber(ARGV[2])
local limits = { rpm = tonumber(ARGV[3]), tpm = tonumber(ARGV[4]),
  reservedRequests = tonumber(ARGV[5]), reservedTokens = tonumber(ARGV[6]) }
local windowMs = tonumber(ARGV[7])
local idleMs = tonumber(ARGV[8])
local maxWalk = tonumber(ARGV[9])

local now = nowMs()
local window = readWindow(KEYS[1])
expirePermits(window, KEYS[2], KEYS[3], now - windowMs)
if class == "i" then
  window.seen = now
end
local function finish()
  writeWindow(KEYS[1], KEYS[2], KEYS[3], window, windowMs + idleMs)
end

local coolDownMs = redis.call("PTTL", KEYS[4])
if coolDownMs > 0 then
  finish()
  return { 0, "cooling_down", coolDownMs }
end
if limits.tpm > 0 and ask > limits.tpm then
  finish()
  return { 0, "too_large", -1 }
end

-- Which budget the call would break ("rpm" / "tpm"), or nil when it fits.
local function overBudget(req, tok, withReserve)
  local function breaks(used, need, budget, reserved)
    if budget <= 0 then
      return false
    end
    local unusedReserve = 0
    if withReserve then
      unusedReserve = math.max(0, reserved - used.i)
    end
    return used.i + used.b + need + unusedReserve > budget
  end
  if breaks(req, 1, limits.rpm, limits.reservedRequests) then
    return "rpm"
  end
  if breaks(tok, ask, limits.tpm, limits.reservedTokens) then
    return "tpm"
  end
  return nil
end

local interactiveActive = window.seen ~= nil and now - window.seen < idleMs
local withReserve = class == "b" and interactiveActive
local broken = overBudget(window.req, window.tok, withReserve)
if not broken then
  window.seq = window.seq + 1
  local permitId = int(now) .. "-" .. int(window.seq) .. "-" .. class
  redis.call("RPUSH", KEYS[2], permitId)
  redis.call("HSET", KEYS[3], permitId, int(ask))
  window.req[class] = window.req[class] + 1
  window.tok[class] = window.tok[class] + ask
  finish()
  return { 1, permitId }
end
finish()

local reason = broken
if withReserve and not overBudget(window.req, window.tok, false) then
  reason = "interactive_reserve"
end

-- How long until the call would fit if nothing else were admitted: walk the oldest permits in
-- admission order, taking each off copies of the totals; the call fits once that one has left.
local oldest = redis.call("LRANGE", KEYS[2], 0, maxWalk - 1)
local tokensOf = {}
if #oldest > 0 then
  tokensOf = redis.call("HMGET", KEYS[3], unpack(oldest))
end
-- Past the walk, the expiry of the last permit read is a lower bound: the caller asks again then.
local lowerBoundMs = windowMs
if #oldest > 0 then
  lowerBoundMs = parsePermit(oldest[#oldest]) + windowMs - now
end
local function waitUntilFits(reserveHeld)
  local req = { i = window.req.i, b = window.req.b }
  local tok = { i = window.tok.i, b = window.tok.b }
  if not overBudget(req, tok, reserveHeld) then
    return 0
  end
  for index, permitId in ipairs(oldest) do
    local admittedAtMs, permitClass = parsePermit(permitId)
    req[permitClass] = req[permitClass] - 1
    tok[permitClass] = tok[permitClass] - (tonumber(tokensOf[index]) or 0)
    if not overBudget(req, tok, reserveHeld) then
      return admittedAtMs + windowMs - now
    end
  end
  return nil
end

local waitMs = waitUntilFits(false) or lowerBoundMs
if withReserve then
  -- Either enough reserve-respecting room frees up, or interactive work goes idle and the
  -- plain budget is enough, whichever comes first.
  local idleInMs = window.seen + idleMs - now
  local withReserveMs = waitUntilFits(true)
  waitMs = math.max(waitMs, idleInMs)
  if withReserveMs then
    waitMs = math.min(waitMs, withReserveMs)
  end
end
return { 0, reason, math.max(1, waitMs) }
