#!lua name=fncache_v6
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
-- (fncache_v2 added set_many and delete_many to fncache_v1; fncache_v3 stores rate-limit logs in
-- a compact binary form and bounds every function's work; fncache_v4 adds a hit's cost and peeks
-- to hit, and the fixed_window and token_bucket rate limits; fncache_v5 announces every change of
-- a value on the namespace's channel, for near caches; fncache_v6 announces only while a near
-- cache of the namespace keeps its flag key (below); all versions may stay loaded.)
--
-- Every function bounds its own work, whatever a caller sends: a function's Redis user may call
-- these directly (FCALL), and Redis checks the commands they run against that user's ACL, so a
-- tenant holds every write the library makes and can store anything in its own keys. So no
-- argument sets a loop's length beyond the API's own limits, no stored value is read whole
-- unless the API wrote it so, and anything else is refused with an error naming the rule.
-- KEYS[3], where given, is the key's version fncache:{NS}:version:KEY: every write of the value
-- deletes it, and get_entry sets a fresh one (sent by the client) when there is none, so a
-- version read before a write never matches after it.
-- Values are written with PX ttl-1: Redis keeps a key while now <= its expiry, fncache's
-- contract while now < write time + TTL.

-- Every change of a value is announced on the namespace's shard channel fncache:{NS}:changes
-- (SPUBLISH: on a cluster, only the node serving the namespace's slot carries it), so a near
-- cache drops what it holds of the keys. A message is 'k', then per key its member's length as a
-- big-endian 4-byte integer and the member; one message per call, whatever the call changed. A
-- user whose ACL grants no SPUBLISH on the channel (an ACL line older than fncache_v5) writes
-- unannounced: it may not subscribe to the channel either, so it has no near cache to keep right.
-- A write announces only while the namespace's flag key fncache:{NS}:near exists: a near cache
-- keeps it (fncache_v6_near_heartbeat) before it serves anything, so a namespace that no near
-- cache reads pays one EXISTS instead of a message.
local function namespace_key(value_key, name)
  local close = string.find(value_key, '}', 1, true)
  if not close then return nil end
  return string.sub(value_key, 1, close + 1) .. name
end

local function announce(value_key, members)
  local flag = namespace_key(value_key, 'near')
  if not flag or #members == 0 or redis.call('EXISTS', flag) == 0 then return end
  local channel = namespace_key(value_key, 'changes')
  local parts = {'k'}
  for i = 1, #members do parts[i + 1] = struct.pack('>I4', #members[i]) .. members[i] end
  redis.pcall('SPUBLISH', channel, table.concat(parts))
end

-- Stores a value, lists its key and gives it a new version.
local function store(keys, member, value, px)
  redis.call('SET', keys[1], value, 'PX', px)
  redis.call('ZADD', keys[2], 'NX', 0, member)
  redis.call('DEL', keys[3])
end

local MAX_TTL_MILLIS = 315360000000
-- A bulk call's chunk, as the client cuts it: at most 1,000 entries and 1 MiB of members and
-- values (a single entry may be larger: it is one write).
local MAX_CHUNK = 1000
local MAX_CHUNK_BYTES = 1048576
local MAX_INDEX_PAGE = 1000

-- An error reply for an argument outside its rule; the client never sends one.
local function refuse(rule)
  return redis.error_reply('fncache: ' .. rule)
end

-- The whole number in text, when it lies in [low, high]; else nil.
local function whole(text, low, high)
  local n = tonumber(text)
  if n == nil or n ~= math.floor(n) or n < low or n > high then return nil end
  return n
end

-- ARGV: member, value, px. Stores the value and lists the key.
redis.register_function('fncache_v6_set', function(keys, args)
  if #keys ~= 3 or not whole(args[3], 1, MAX_TTL_MILLIS) then return refuse('set takes 3 keys and a px of 1 to 10 years') end
  store(keys, args[1], args[2], args[3])
  announce(keys[1], {args[1]})
  return 1
end)

-- KEYS: index, then a value key and a version key per entry. ARGV: px, then a member and a
-- value per entry. Stores every entry of one chunk of a setMany in one atomic step.
redis.register_function('fncache_v6_set_many', function(keys, args)
  local px = args[1]
  local entries = (#keys - 1) / 2
  if entries > MAX_CHUNK or entries ~= math.floor(entries) or #args ~= #keys or not whole(px, 1, MAX_TTL_MILLIS) then
    return refuse('set_many takes at most 1000 entries, a px of 1 to 10 years and a member and value per entry')
  end
  local bytes = 0
  for i = 2, #args do bytes = bytes + #args[i] end
  if entries > 1 and bytes > MAX_CHUNK_BYTES then
    return refuse('set_many takes at most 1048576 bytes of members and values, unless it stores one entry')
  end
  local members = {}
  for i = 1, (#keys - 1) / 2 do
    store({keys[2 * i], keys[1], keys[2 * i + 1]}, args[2 * i], args[2 * i + 1], px)
    members[i] = args[2 * i]
  end
  if entries > 0 then announce(keys[2], members) end
  return 1
end)

-- KEYS: index, then a value key and a version key per key. ARGV: the keys' members. Returns
-- how many live values it deleted (deleteMany, and each page of deleteAll).
redis.register_function{function_name = 'fncache_v6_delete_many', flags = {'allow-oom'},
  callback = function(keys, args)
    if #args > MAX_CHUNK or #keys ~= 1 + 2 * #args then
      return refuse('delete_many takes at most 1000 members, with a value key and a version key each')
    end
    local deleted = 0
    local members = {}
    for i = 1, #args do
      if redis.call('DEL', keys[2 * i]) == 1 then
        deleted = deleted + 1
        members[deleted] = args[i]
      end
      redis.call('ZREM', keys[1], args[i])
      redis.call('DEL', keys[2 * i + 1])
    end
    if #args > 0 then announce(keys[2], members) end
    return deleted
  end}

-- ARGV: member, value, px, expected version ('' for "only when absent", which is setIfAbsent).
-- Returns 1 when it stored the value, 0 when the key's version was another (or it was live).
redis.register_function('fncache_v6_replace', function(keys, args)
  if #keys ~= 3 or not whole(args[3], 1, MAX_TTL_MILLIS) or args[4] == nil then
    return refuse('replace takes 3 keys, a px of 1 to 10 years and an expected version')
  end
  local live = redis.call('EXISTS', keys[1]) == 1
  if args[4] == '' then
    if live then return 0 end
  elseif not live or redis.call('GET', keys[3]) ~= args[4] then
    return 0
  end
  store(keys, args[1], args[2], args[3])
  announce(keys[1], {args[1]})
  return 1
end)

-- KEYS: value, version. ARGV: a fresh version, kept when the value has none yet. Returns
-- {value, remaining millis, version}, or nil when absent.
redis.register_function('fncache_v6_get_entry', function(keys, args)
  if #keys ~= 2 or args[1] == nil then return refuse('get_entry takes 2 keys and a fresh version') end
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

-- KEYS: the flag fncache:{NS}:near. ARGV: a near cache's heartbeat (at most 64 bytes), a fresh
-- flag id (16 bytes), the flag's px (1 to 60000). Keeps the flag (a new one holds the fresh id;
-- a live one has its TTL renewed), then publishes the heartbeat followed by the flag's id on the
-- namespace's channel, and returns the id. An id other than the one a near cache's epoch began
-- with tells it the flag was gone for a while (expired, evicted, deleted), so writes may have
-- gone unannounced: it drops its copies.
redis.register_function('fncache_v6_near_heartbeat', function(keys, args)
  local flag = keys[1]
  if #keys ~= 1 or not string.find(flag, '^fncache:{[^}]*}:near$') or args[1] == nil or #args[1] > 64
      or args[2] == nil or #args[2] ~= 16 or not whole(args[3], 1, 60000) then
    return refuse('near_heartbeat takes the key fncache:{NS}:near, a heartbeat of at most 64 bytes, a 16-byte id and a px of 1 to 60000')
  end
  local id = nil
  if redis.call('STRLEN', flag) == 16 then id = redis.call('GET', flag) end
  if id then
    redis.call('PEXPIRE', flag, args[3])
  else
    id = args[2]
    redis.call('SET', flag, id, 'PX', args[3])
  end
  redis.call('SPUBLISH', namespace_key(flag, 'changes'), args[1] .. id)
  return id
end)

-- ARGV: member. Returns 1 when a live value was deleted. Allowed when the server is out of
-- memory, since it only frees memory.
redis.register_function{function_name = 'fncache_v6_delete', flags = {'allow-oom'},
  callback = function(keys, args)
    if #keys ~= 3 or args[1] == nil then return refuse('delete takes 3 keys and a member') end
    local deleted = redis.call('DEL', keys[1])
    redis.call('ZREM', keys[2], args[1])
    redis.call('DEL', keys[3])
    if deleted == 1 then announce(keys[1], {args[1]}) end
    return deleted
  end}

-- ARGV: delta, px, member. Returns the new value as text (Lua numbers are doubles and would
-- round counters past 2^53); a counter it creates gets the TTL and its index member.
redis.register_function('fncache_v6_increment', function(keys, args)
  if #keys ~= 3 or not whole(args[2], 1, MAX_TTL_MILLIS) then return refuse('increment takes 3 keys and a px of 1 to 10 years') end
  redis.call('INCRBY', keys[1], args[1])
  if redis.call('PTTL', keys[1]) == -1 then
    redis.call('PEXPIRE', keys[1], args[2])
    redis.call('ZADD', keys[2], 'NX', 0, args[3])
  end
  redis.call('DEL', keys[3])
  announce(keys[1], {args[3]})
  return redis.call('GET', keys[1])
end)

-- KEYS: value, version. ARGV: add millis, max remaining millis. Returns the remaining millis,
-- -1 when absent, -2 when the result would pass the limit (the TTL is then unchanged). The
-- version is kept, and lives as long as the value.
redis.register_function('fncache_v6_extend', function(keys, args)
  if #keys ~= 2 or not whole(args[1], 1, MAX_TTL_MILLIS) or not whole(args[2], 1, MAX_TTL_MILLIS) then
    return refuse('extend takes 2 keys and millis of 1 to 10 years')
  end
  local left = redis.call('PTTL', keys[1])
  if left < 0 then return -1 end
  local remaining = left + 1 + tonumber(args[1])
  if remaining > tonumber(args[2]) then return -2 end
  redis.call('PEXPIRE', keys[1], remaining - 1)
  redis.call('PEXPIRE', keys[2], remaining - 1)
  return remaining
end)

-- The server's clock in epoch milliseconds.
local function server_millis()
  local time = redis.call('TIME')
  return tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
end

-- Rate-limit logs: the 8 bytes 'fnrl' 0 0 0 1, then the allowed hits' epoch milliseconds as
-- big-endian 8-byte integers, oldest first (the same bytes as dev.fncache.spi.SlidingWindowLog).
local LOG_MAGIC = 'fnrl\0\0\0\1'
local MAX_LIMIT = 10000
local function compact_at(limit) return limit + math.floor(limit / 4) + 8 end
local MAX_LOG_BYTES = 100072 -- 8 + 8 * compact_at(MAX_LIMIT)

-- ARGV: member, limit, window millis, cost, consume (1, or 0 for a peek of cost 1). Hits of a
-- sliding-window rate limit on the server's clock. Reads the log's length and header, finds the
-- first hit inside the window by binary search (at most 14 reads of 8 bytes), and appends one
-- entry per unit of cost; once the log would pass compact_at(limit) entries, rewrites it with the
-- hits still in the window. A value of any other length or header is refused before anything
-- else is read. Returns {1 allowed | 0 denied, hits of cost 1 still allowed, millis until allowed}.
redis.register_function('fncache_v6_hit', function(keys, args)
  local limit = whole(args[2], 1, MAX_LIMIT)
  local window = whole(args[3], 1000, MAX_TTL_MILLIS)
  local cost = limit and whole(args[4], 1, limit)
  local consume = args[5] == '1'
  if #keys ~= 3 or not limit or not window or not cost or (args[5] ~= '0' and args[5] ~= '1') then
    return refuse('hit takes 3 keys, a limit of 1 to 10000, a window of 1 s to 10 years, a cost of 1 to the limit and consume 0 or 1')
  end
  if not consume then cost = 1 end
  local length = redis.pcall('STRLEN', keys[1])
  if type(length) ~= 'number' then return refuse('not a rate-limit log') end
  local entries = 0
  if length > 0 then
    if length > MAX_LOG_BYTES or length < 8 or (length - 8) % 8 ~= 0
        or redis.call('GETRANGE', keys[1], 0, 7) ~= LOG_MAGIC then
      return refuse('not a rate-limit log')
    end
    entries = (length - 8) / 8
  end
  local function at(i)
    return struct.unpack('>i8', redis.call('GETRANGE', keys[1], 8 + 8 * i, 15 + 8 * i))
  end
  local now = server_millis()
  local low, high = 0, entries
  while low < high do
    local middle = math.floor((low + high) / 2)
    if at(middle) <= now - window then low = middle + 1 else high = middle end
  end
  local in_window = entries - low
  if in_window + cost > limit then
    return {0, math.max(0, limit - in_window), math.max(1, at(math.max(low, entries + cost - limit - 1)) + window - now)}
  end
  if not consume then return {1, limit - in_window, 0} end
  local hit = now
  if entries > 0 then hit = math.max(now, at(entries - 1)) end
  local added = string.rep(struct.pack('>i8', hit), cost)
  if entries == 0 then
    redis.call('SET', keys[1], LOG_MAGIC .. added, 'PX', window - 1)
  elseif entries + cost > compact_at(limit) then
    local kept = ''
    if in_window > 0 then kept = redis.call('GETRANGE', keys[1], 8 + 8 * low, length - 1) end
    redis.call('SET', keys[1], LOG_MAGIC .. kept .. added, 'PX', window - 1)
  else
    redis.call('APPEND', keys[1], added)
    redis.call('PEXPIRE', keys[1], window - 1)
  end
  redis.call('ZADD', keys[2], 'NX', 0, args[1])
  redis.call('DEL', keys[3])
  announce(keys[1], {args[1]})
  return {1, limit - in_window - cost, 0}
end)

-- Fixed windows and token buckets keep 24 bytes: 'fnfw' or 'fntb', 0 0 0 1, then two big-endian
-- 8-byte integers (the window's start and count, or the tokens and when they were counted), as
-- dev.fncache.support.RateLimitStates writes them. Anything else is refused unread.
local MAX_COUNTER_LIMIT = 1000000000
local FIXED_WINDOW_MAGIC = 'fnfw\0\0\0\1'
local TOKEN_BUCKET_MAGIC = 'fntb\0\0\0\1'

-- The two numbers of a counter state; nil when absent, false when the key holds something else.
local function counter(key, magic)
  local length = redis.pcall('STRLEN', key)
  if type(length) ~= 'number' then return false end
  if length == 0 then return nil end
  if length ~= 24 then return false end
  local state = redis.call('GET', key)
  if string.sub(state, 1, 8) ~= magic then return false end
  local first = struct.unpack('>i8', string.sub(state, 9, 16))
  local second = struct.unpack('>i8', string.sub(state, 17, 24))
  if first < 0 or second < 0 then return false end
  return {first, second}
end

local function store_counter(keys, member, magic, first, second, px)
  redis.call('SET', keys[1], magic .. struct.pack('>i8', first) .. struct.pack('>i8', second), 'PX', math.max(1, px - 1))
  redis.call('ZADD', keys[2], 'NX', 0, member)
  redis.call('DEL', keys[3])
  announce(keys[1], {member})
end

-- ARGV: member, limit, window millis, cost, consume. A fixed window's hits, windows aligned to
-- multiples of the window since the epoch. Returns as hit does.
redis.register_function('fncache_v6_fixed_window', function(keys, args)
  local limit = whole(args[2], 1, MAX_COUNTER_LIMIT)
  local window = whole(args[3], 1000, MAX_TTL_MILLIS)
  local cost = limit and whole(args[4], 1, limit)
  if #keys ~= 3 or not limit or not window or not cost or (args[5] ~= '0' and args[5] ~= '1') then
    return refuse('fixed_window takes 3 keys, a limit of 1 to 1000000000, a window of 1 s to 10 years, a cost of 1 to the limit and consume 0 or 1')
  end
  local consume = args[5] == '1'
  if not consume then cost = 1 end
  local state = counter(keys[1], FIXED_WINDOW_MAGIC)
  if state == false then return refuse('not a rate-limit state') end
  local now = server_millis()
  local start = now - now % window
  local count = 0
  if state and state[1] == start then count = state[2] end
  if count + cost > limit then return {0, math.max(0, limit - count), start + window - now} end
  if not consume then return {1, limit - count, 0} end
  store_counter(keys, args[1], FIXED_WINDOW_MAGIC, start, count + cost, start + window - now)
  return {1, limit - count - cost, 0}
end)

-- ARGV: member, capacity, refill tokens, refill every millis, cost, consume. A token bucket's
-- hits: full when absent; refills whole periods since the tokens were counted. Returns as hit does.
redis.register_function('fncache_v6_token_bucket', function(keys, args)
  local capacity = whole(args[2], 1, MAX_COUNTER_LIMIT)
  local refill = capacity and whole(args[3], 1, capacity)
  local every = whole(args[4], 1, MAX_TTL_MILLIS)
  local cost = capacity and whole(args[5], 1, capacity)
  if #keys ~= 3 or not capacity or not refill or not every or not cost or (args[6] ~= '0' and args[6] ~= '1')
      or math.ceil(capacity / refill) * every > MAX_TTL_MILLIS then
    return refuse('token_bucket takes 3 keys, a capacity of 1 to 1000000000, refill tokens of 1 to the capacity, a refill period of 1 ms to 10 years filling the bucket within 10 years, a cost of 1 to the capacity and consume 0 or 1')
  end
  local consume = args[6] == '1'
  if not consume then cost = 1 end
  local state = counter(keys[1], TOKEN_BUCKET_MAGIC)
  if state == false then return refuse('not a rate-limit state') end
  local now = server_millis()
  local tokens, counted = capacity, now
  if state then
    tokens, counted = math.min(capacity, state[1]), state[2]
    if now > counted then
      local periods = math.floor((now - counted) / every)
      if periods >= math.ceil((capacity - tokens) / refill) then
        tokens = capacity
      else
        tokens = tokens + periods * refill
        counted = counted + periods * every
      end
    end
    if tokens == capacity then counted = now end
  end
  if tokens < cost then
    return {0, tokens, math.max(1, counted + math.ceil((cost - tokens) / refill) * every - now)}
  end
  if not consume then return {1, tokens, 0} end
  tokens = tokens - cost
  store_counter(keys, args[1], TOKEN_BUCKET_MAGIC, tokens, counted,
    counted + math.ceil((capacity - tokens) / refill) * every - now)
  return {1, tokens, 0}
end)

-- KEYS: a getOrSet load lease. ARGV: the holder's token. Deletes the lease if the token holds it.
redis.register_function{function_name = 'fncache_v6_release_lease', flags = {'allow-oom'},
  callback = function(keys, args)
    if #keys ~= 1 or args[1] == nil then return refuse('release_lease takes 1 key and a token') end
    if redis.call('GET', keys[1]) == args[1] then
      return redis.call('DEL', keys[1])
    end
    return 0
  end}

-- KEYS: index, then the value keys of some members. ARGV: those members. Returns 1 or 0 per
-- member for live or gone, and removes the gone ones from the index (a value Redis expired).
redis.register_function{function_name = 'fncache_v6_live_members', flags = {'allow-oom'},
  callback = function(keys, args)
    if #args > MAX_INDEX_PAGE or #keys ~= #args + 1 then
      return refuse('live_members takes the index and at most 1000 members with their value keys')
    end
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
