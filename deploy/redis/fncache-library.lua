#!lua name=fncache_v1
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
-- Values are written with PX ttl-1: Redis keeps a key while now <= its expiry, fncache's
-- contract while now < write time + TTL.

-- ARGV: member, value, px. Stores the value and lists the key.
redis.register_function('fncache_v1_set', function(keys, args)
  redis.call('SET', keys[1], args[2], 'PX', args[3])
  redis.call('ZADD', keys[2], 'NX', 0, args[1])
  return 1
end)

-- ARGV: member, value, px. Returns 1 when it stored the value, 0 when the key was live.
redis.register_function('fncache_v1_set_if_absent', function(keys, args)
  if not redis.call('SET', keys[1], args[2], 'NX', 'PX', args[3]) then
    return 0
  end
  redis.call('ZADD', keys[2], 'NX', 0, args[1])
  return 1
end)

-- ARGV: member. Returns 1 when a live value was deleted. Allowed when the server is out of
-- memory, since it only frees memory.
redis.register_function{function_name = 'fncache_v1_delete', flags = {'allow-oom'},
  callback = function(keys, args)
    local deleted = redis.call('DEL', keys[1])
    redis.call('ZREM', keys[2], args[1])
    return deleted
  end}

-- ARGV: delta, px, member. Returns the new value as text (Lua numbers are doubles and would
-- round counters past 2^53); a counter it creates gets the TTL and its index member.
redis.register_function('fncache_v1_increment', function(keys, args)
  redis.call('INCRBY', keys[1], args[1])
  if redis.call('PTTL', keys[1]) == -1 then
    redis.call('PEXPIRE', keys[1], args[2])
    redis.call('ZADD', keys[2], 'NX', 0, args[3])
  end
  return redis.call('GET', keys[1])
end)

-- KEYS: value. ARGV: add millis, max remaining millis. Returns the remaining millis, -1 when
-- absent, -2 when the result would pass the limit (the TTL is then unchanged).
redis.register_function('fncache_v1_extend', function(keys, args)
  local left = redis.call('PTTL', keys[1])
  if left < 0 then return -1 end
  local remaining = left + 1 + tonumber(args[1])
  if remaining > tonumber(args[2]) then return -2 end
  redis.call('PEXPIRE', keys[1], remaining - 1)
  return remaining
end)

-- KEYS: index, then the value keys of some members. ARGV: those members. Returns 1 or 0 per
-- member for live or gone, and removes the gone ones from the index (a value Redis expired).
redis.register_function{function_name = 'fncache_v1_live_members', flags = {'allow-oom'},
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
