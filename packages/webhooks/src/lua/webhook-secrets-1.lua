--[[
  Reads, lazily creates or rotates the signing secrets of one tenant, atomically, so two API
  instances asking at once never mint two "current" secrets.

  The hash holds one field per secret; each value is "<created_ms>|<expires_ms>|<secret>", where
  expires_ms = 0 marks the current secret (at most one has 0). Expired secrets are deleted here.

  KEYS[1] the tenant's secrets hash
  ARGV[1] "ensure" (add the candidate only when there is no current secret) or "rotate" (give the
          current secret an expiry of now + grace, then add the candidate as the new current one)
  ARGV[2] now, in unix milliseconds
  ARGV[3] the candidate's field name
  ARGV[4] the candidate's value ("<now>|0|whsec_…")
  ARGV[5] grace in milliseconds (rotate only)
  ARGV[6] the most secrets kept; past it the oldest are dropped (rotate only)

  Returns HGETALL of the hash after the change.
]]
local key = KEYS[1]
local now = tonumber(ARGV[2])
local fields = redis.call("HGETALL", key)
local live = {}
local hasCurrent = false
for i = 1, #fields, 2 do
  local created, expires = string.match(fields[i + 1], "^(%d+)|(%d+)|")
  expires = tonumber(expires)
  if expires > 0 and expires <= now then
    redis.call("HDEL", key, fields[i])
  else
    table.insert(live, { field = fields[i], created = created, value = fields[i + 1], expires = expires })
    if expires == 0 then hasCurrent = true end
  end
end

if ARGV[1] == "ensure" then
  if not hasCurrent then
    redis.call("HSET", key, ARGV[3], ARGV[4])
  end
elseif ARGV[1] == "rotate" then
  local expiresAt = now + tonumber(ARGV[5])
  for _, entry in ipairs(live) do
    if entry.expires == 0 then
      local secret = string.match(entry.value, "^%d+|%d+|(.*)$")
      redis.call("HSET", key, entry.field, entry.created .. "|" .. string.format("%d", expiresAt) .. "|" .. secret)
    end
  end
  redis.call("HSET", key, ARGV[3], ARGV[4])
  -- Bound the signature header: repeated rotations within the grace period drop the oldest.
  table.sort(live, function(a, b) return tonumber(a.created) < tonumber(b.created) end)
  local excess = #live + 1 - tonumber(ARGV[6])
  for i = 1, excess do
    redis.call("HDEL", key, live[i].field)
  end
end
return redis.call("HGETALL", key)
