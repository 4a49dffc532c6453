package redis

import goredis "github.com/redis/go-redis/v9"

// luaPrelude is shared by the hold scripts. Times are unix milliseconds of
// the server clock. hold_keys must build the same names as Store.holdKeys.
const luaPrelude = `
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function hold_keys(prefix, pid)
  local base = prefix .. 'hold:' .. pid
  return base .. ':exp', base .. ':qty'
end

-- A hold's value is 'quantity|generation': one field, so the two are never
-- lost apart.
local function parse_hold(v)
  if not v then return 0, '' end
  local q, g = string.match(v, '^(%d+)|(.*)$')
  return tonumber(q) or 0, g or ''
end

local function hash_map(key)
  local m, all = {}, redis.call('HGETALL', key)
  for i = 1, #all, 2 do m[all[i]] = all[i + 1] end
  return m
end

-- purge drops the holds of one product that expired by now.
local function purge(exp, qty, now)
  for _, h in ipairs(redis.call('ZRANGEBYSCORE', exp, '-inf', now)) do
    redis.call('HDEL', qty, h)
  end
  redis.call('ZREMRANGEBYSCORE', exp, '-inf', now)
end

-- held_by_others sums one product's live holds, except holder's and those
-- of a cart generation in placed (a set of 'holder|generation': carts that
-- became orders, whose units Postgres already counts as reserved); alive is
-- '(' .. now, the ZRANGEBYSCORE bound of expiries after now.
local function held_by_others(exp, qty, holder, alive, placed)
  local live = redis.call('ZRANGEBYSCORE', exp, alive, '+inf')
  if #live == 0 then return 0 end
  local q = hash_map(qty)
  local sum = 0
  for _, h in ipairs(live) do
    local n, g = parse_hold(q[h])
    if h ~= holder and not placed[h .. '|' .. g] then sum = sum + n end
  end
  return sum
end

-- expire_with_last makes zset key (and its companion) live exactly as long
-- as its latest score, deleting both when it is empty.
local function expire_with_last(key, companion)
  local top = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  for _, k in ipairs({key, companion}) do
    if #top == 0 then redis.call('DEL', k) else redis.call('PEXPIREAT', k, top[2]) end
  end
end

-- release drops holder's hold on one product.
local function release(prefix, holder, pid)
  local exp, qty = hold_keys(prefix, pid)
  redis.call('ZREM', exp, holder)
  redis.call('HDEL', qty, holder)
  expire_with_last(exp, qty)
end
`

// holdScript sets holder's hold on one product to qty if it fits, tagging it
// with the cart's generation (created from the candidate when the cart has
// none yet).
// KEYS: product exp, product qty, holder's holds, holder's gen.
// ARGV: holder, product id, qty, available, ttl ms, candidate generation,
// cart ttl ms, then the placed 'holder|generation' pairs to leave out.
// Returns {ok (0|1), free for holder, expiry ms (0 when none), generation}.
var holdScript = goredis.NewScript(luaPrelude + `
local now = now_ms()
local holder, pid = ARGV[1], ARGV[2]
local qty, avail, ttl = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
local placed = {}
for i = 8, #ARGV do placed[ARGV[i]] = true end
purge(KEYS[1], KEYS[2], now)
local free = avail - held_by_others(KEYS[1], KEYS[2], holder, '(' .. now, placed)
if free < 0 then free = 0 end
local g = redis.call('GET', KEYS[4]) or ARGV[6]
if qty > free then return {0, free, 0, g} end
local until_ms = 0
if qty == 0 then
  redis.call('ZREM', KEYS[1], holder)
  redis.call('HDEL', KEYS[2], holder)
  redis.call('ZREM', KEYS[3], pid)
else
  until_ms = now + ttl
  redis.call('ZADD', KEYS[1], until_ms, holder)
  redis.call('HSET', KEYS[2], holder, qty .. '|' .. g)
  redis.call('ZADD', KEYS[3], until_ms, pid)
  redis.call('SET', KEYS[4], g, 'PX', ARGV[7])
end
expire_with_last(KEYS[1], KEYS[2])
expire_with_last(KEYS[3])
return {1, free, until_ms, g}
`)

// liveHoldsScript lists, per product, the live holds with their cart
// generations. It only reads: expired holds stop counting at their expiry,
// purged or not.
// KEYS: exp, qty of each product in turn.
// Returns, per product, a count n followed by n triples {holder, gen, qty}.
var liveHoldsScript = goredis.NewScript(luaPrelude + `
local alive, out = '(' .. now_ms(), {}
for i = 1, #KEYS, 2 do
  local live = redis.call('ZRANGEBYSCORE', KEYS[i], alive, '+inf')
  out[#out + 1] = #live
  if #live > 0 then
    local q = hash_map(KEYS[i + 1])
    for _, h in ipairs(live) do
      local n, g = parse_hold(q[h])
      out[#out + 1] = h
      out[#out + 1] = g
      out[#out + 1] = n
    end
  end
end
return out
`)

// cartScript reads a holder's lines, live holds and generation at one
// instant; a cart with lines and no generation gets the candidate.
// KEYS: holder's holds, holder's lines, holder's gen.
// ARGV: prefix, holder, candidate generation, cart ttl ms.
// Returns {generation, product, wanted, held, expiry ms, ...}; a hold
// without a line comes with wanted 0.
var cartScript = goredis.NewScript(luaPrelude + `
local now = now_ms()
local lines, seen = redis.call('HGETALL', KEYS[2]), {}
local g = redis.call('GET', KEYS[3])
if not g then
  g = ''
  if #lines > 0 then
    g = ARGV[3]
    redis.call('SET', KEYS[3], g, 'PX', ARGV[4])
  end
end
local out = {g}
local holds = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf', 'WITHSCORES')
local held = {}
for i = 1, #holds, 2 do
  local _, qty = hold_keys(ARGV[1], holds[i])
  held[holds[i]] = {(parse_hold(redis.call('HGET', qty, ARGV[2]))), tonumber(holds[i + 1])}
end
local function add(pid, wanted)
  local h = held[pid] or {0, 0}
  for _, v in ipairs({tonumber(pid), wanted, h[1], h[2]}) do out[#out + 1] = v end
  seen[pid] = true
end
for i = 1, #lines, 2 do add(lines[i], tonumber(lines[i + 1])) end
for pid in pairs(held) do
  if not seen[pid] then add(pid, 0) end
end
return out
`)

// touchScript renews every live hold of a holder to now+ttl (never
// shortening one) and the lines' and generation's TTL; lapsed holds are
// dropped.
// KEYS: holder's holds, holder's lines, holder's gen.
// ARGV: prefix, holder, ttl ms, cart ttl ms.
// Returns how many holds were renewed.
var touchScript = goredis.NewScript(luaPrelude + `
local now = now_ms()
local until_ms, renewed = now + tonumber(ARGV[3]), 0
local holds = redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')
for i = 1, #holds, 2 do
  local pid = holds[i]
  local exp, qty = hold_keys(ARGV[1], pid)
  local cur = tonumber(redis.call('ZSCORE', exp, ARGV[2]) or 0)
  if cur > now then
    if until_ms > cur then
      redis.call('ZADD', exp, until_ms, ARGV[2])
      redis.call('ZADD', KEYS[1], until_ms, pid)
      expire_with_last(exp, qty)
    end
    renewed = renewed + 1
  else
    redis.call('ZREM', KEYS[1], pid)
    release(ARGV[1], ARGV[2], pid)
  end
end
expire_with_last(KEYS[1])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('PEXPIRE', KEYS[3], ARGV[4])
return renewed
`)

// clearScript drops a holder's holds, lines and generation: the next cart
// is a new generation.
// KEYS: holder's holds, holder's lines, holder's gen. ARGV: prefix, holder.
var clearScript = goredis.NewScript(luaPrelude + `
for _, pid in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  release(ARGV[1], ARGV[2], pid)
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return 1
`)

// releaseScript drops holder's holds on the given products, keeping the
// lines (the cart shows them as not held).
// KEYS: holder's holds. ARGV: prefix, holder, product ids.
var releaseScript = goredis.NewScript(luaPrelude + `
for i = 3, #ARGV do
  release(ARGV[1], ARGV[2], ARGV[i])
  redis.call('ZREM', KEYS[1], ARGV[i])
end
expire_with_last(KEYS[1])
return 1
`)

// setLineScript sets the wanted quantity of one line (0 removes it) and
// renews the lines' and generation's TTL.
// KEYS: holder's lines, holder's gen. ARGV: product, qty, ttl ms.
var setLineScript = goredis.NewScript(`
if tonumber(ARGV[2]) == 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1
`)

// unlockScript deletes a lock only if it still holds the caller's token.
var unlockScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)
