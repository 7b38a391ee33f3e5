--[[
  Records the custom ids of a chunk of a batch being staged and reports those seen before, so
  duplicates are found across the whole upload without holding every id in the API's memory.

  KEYS[1] the batch's custom ids hash (custom id -> where it was first given)
  ARGV    pairs: custom id, where it is given (`items[3]`, `lines[4]`)

  Returns a flat array: for each duplicate, its pair's index (0-based) and where it was first given.
]]
local duplicates = {}
for i = 1, #ARGV, 2 do
  if redis.call("HSETNX", KEYS[1], ARGV[i], ARGV[i + 1]) == 0 then
    table.insert(duplicates, (i - 1) / 2)
    table.insert(duplicates, redis.call("HGET", KEYS[1], ARGV[i]))
  end
end
return duplicates
