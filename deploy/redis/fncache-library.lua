#!lua name=fncache_v2
--
-- fncache's server-side steps, one Redis function per step that must be atomic. Every
-- mutation changes a key's value and its index member together, so keys() never misses a
-- live key, whatever other instances do at the same moment.
--
-- Loaded by fncache itself on first use when its user may (the default user in development),
-- and by deploy/redis/fncache-load-library in production, where a function's Redis user may
-- only FCALL these. The library name carries a version: a changed library is a new version,
-- loaded next to the old one, so old and new instances run side by side during an upgrade.
--
-- Layout: KEYS[1] is a value key fncache:{NS}:v:KEY, KEYS[2] the index fncache:{NS}:index,
-- the sorted set of the namespace's keys (score 0, ordered by bytes); a member is the key.
-- (fncache_v2 adds set_many and delete_many to fncache_v1; both versions may stay loaded.)
-- KEYS[3], where given, is the key's version fncache:{NS}:version:KEY: every write of the value
-- deletes it, and get_entry sets a fresh one (sent by the client) when there is none, so a
-- version read before a write never matches after it.
-- Values are written with PX ttl-1: Redis keeps a key while now <= its expiry, fncache's
-- contract while now < write time + TTL.

-- Stores a value, lists its key and gives it a new version.
local function store(keys, member, value, px)
  redis.call('SET', keys[1], value, 'PX', px)
  redis.call('ZADD', keys[2], 'NX', 0, member)
  redis.call('DEL', keys[3])
end

-- ARGV: member, value, px. Stores the value and lists the key.
redis.register_function('fncache_v2_set', function(keys, args)
  store(keys, args[1], args[2], args[3])
  return 1
end)

-- KEYS: index, then a value key and a version key per entry. ARGV: px, then a member and a
-- value per entry. Stores every entry in one atomic step (setMany).
redis.register_function('fncache_v2_set_many', function(keys, args)
  local px = args[1]
  for i = 1, (#keys - 1) / 2 do
    store({keys[2 * i], keys[1], keys[2 * i + 1]}, args[2 * i], args[2 * i + 1], px)
  end
  return 1
end)

-- KEYS: index, then a value key and a version key per key. ARGV: the keys' members. Returns
-- how many live values it deleted (deleteMany, and each page of deleteAll).
redis.register_function{function_name = 'fncache_v2_delete_many', flags = {'allow-oom'},
  callback = function(keys, args)
    local deleted = 0
    for i = 1, #args do
      deleted = deleted + redis.call('DEL', keys[2 * i])
      redis.call('ZREM', keys[1], args[i])
      redis.call('DEL', keys[2 * i + 1])
    end
    return deleted
  end}

-- ARGV: member, value, px, expected version ('' for "only when absent", which is setIfAbsent).
-- Returns 1 when it stored the value, 0 when the key's version was another (or it was live).
redis.register_function('fncache_v2_replace', function(keys, args)
  local live = redis.call('EXISTS', keys[1]) == 1
  if args[4] == '' then
    if live then return 0 end
  elseif not live or redis.call('GET', keys[3]) ~= args[4] then
    return 0
  end
  store(keys, args[1], args[2], args[3])
  return 1
end)

-- KEYS: value, version. ARGV: a fresh version, kept when the value has none yet. Returns
-- {value, remaining millis, version}, or nil when absent.
redis.register_function('fncache_v2_get_entry', function(keys, args)
  local value = redis.call('GET', keys[1])
  if not value then return false end
  local left = redis.call('PTTL', keys[1])
  local version = redis.call('GET', keys[2])
  if not version then
    version = args[1]
    if left > 0 then
      redis.call('SET', keys[2], version, 'PX', left)
    else
      redis.call('SET', keys[2], version)
    end
  end
  return {value, left + 1, version}
end)

-- ARGV: member. Returns 1 when a live value was deleted. Allowed when the server is out of
-- memory, since it only frees memory.
redis.register_function{function_name = 'fncache_v2_delete', flags = {'allow-oom'},
  callback = function(keys, args)
    local deleted = redis.call('DEL', keys[1])
    redis.call('ZREM', keys[2], args[1])
    redis.call('DEL', keys[3])
    return deleted
  end}

-- ARGV: delta, px, member. Returns the new value as text (Lua numbers are doubles and would
-- round counters past 2^53); a counter it creates gets the TTL and its index member.
redis.register_function('fncache_v2_increment', function(keys, args)
  redis.call('INCRBY', keys[1], args[1])
  if redis.call('PTTL', keys[1]) == -1 then
    redis.call('PEXPIRE', keys[1], args[2])
    redis.call('ZADD', keys[2], 'NX', 0, args[3])
  end
  redis.call('DEL', keys[3])
  return redis.call('GET', keys[1])
end)

-- KEYS: value, version. ARGV: add millis, max remaining millis. Returns the remaining millis,
-- -1 when absent, -2 when the result would pass the limit (the TTL is then unchanged). The
-- version is kept, and lives as long as the value.
redis.register_function('fncache_v2_extend', function(keys, args)
  local left = redis.call('PTTL', keys[1])
  if left < 0 then return -1 end
  local remaining = left + 1 + tonumber(args[1])
  if remaining > tonumber(args[2]) then return -2 end
  redis.call('PEXPIRE', keys[1], remaining - 1)
  redis.call('PEXPIRE', keys[2], remaining - 1)
  return remaining
end)

-- ARGV: member, limit, window millis. One hit of a sliding-window rate limit on the server's
-- clock: the value is the JSON array of the allowed hits' epoch milliseconds, oldest first.
-- Returns {1 allowed | 0 denied, hits in the window, millis until a hit is allowed again}.
redis.register_function('fncache_v2_hit', function(keys, args)
  local time = redis.call('TIME')
  local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
  local limit = tonumber(args[2])
  local window = tonumber(args[3])
  local stored = redis.call('GET', keys[1])
  local kept = {}
  if stored then
    if not string.match(stored, '^%s*%[[%d%s,%-]*%]%s*$') then
      return redis.error_reply('fncache: not a rate-limit log')
    end
    for text in string.gmatch(stored, '%-?%d+') do
      local hit = tonumber(text)
      if hit > now - window then kept[#kept + 1] = hit end
    end
  end
  if #kept >= limit then
    return {0, #kept, math.max(1, kept[#kept - limit + 1] + window - now)}
  end
  local last = kept[#kept]
  kept[#kept + 1] = (last and last > now) and last or now
  local parts = {}
  for i, hit in ipairs(kept) do parts[i] = string.format('%d', hit) end
  store(keys, args[1], '[' .. table.concat(parts, ',') .. ']', window - 1)
  return {1, #kept, 0}
end)

-- KEYS: a getOrSet load lease. ARGV: the holder's token. Deletes the lease if the token holds it.
redis.register_function{function_name = 'fncache_v2_release_lease', flags = {'allow-oom'},
  callback = function(keys, args)
    if redis.call('GET', keys[1]) == args[1] then
      return redis.call('DEL', keys[1])
    end
    return 0
  end}

-- KEYS: index, then the value keys of some members. ARGV: those members. Returns 1 or 0 per
-- member for live or gone, and removes the gone ones from the index (a value Redis expired).
redis.register_function{function_name = 'fncache_v2_live_members', flags = {'allow-oom'},
  callback = function(keys, args)
    local live = {}
    for i = 2, #keys do
      if redis.call('EXISTS', keys[i]) == 1 then
        live[i - 1] = 1
      else
        live[i - 1] = 0
        redis.call('ZREM', keys[1], args[i - 1])
      end
    end
    return live
  end}
