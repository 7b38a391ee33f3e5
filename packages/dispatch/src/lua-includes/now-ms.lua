--[[
  The current time in milliseconds by the Redis server's clock, never a caller's: worker machines
  with skewed clocks then agree on every window, cool-down and probe time.
]]
local function nowMs()
  local time = redis.call("TIME")
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- Lua numbers are doubles; print integers in full ("%.14g" would turn big ones into 1.7e+12).
local function int(value)
  return string.format("%.0f", value)
end
