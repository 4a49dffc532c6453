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
  return prefix .. 'hold:' .. pid .. ':exp', prefix .. 'hold:' .. pid .. ':qty'
end

-- purge drops the holds of one product that expired by now.
local function purge(exp, qty, now)
  for _, h in ipairs(redis.call('ZRANGEBYSCORE', exp, '-inf', now)) do
    redis.call('HDEL', qty, h)
  end
  redis.call('ZREMRANGEBYSCORE', exp, '-inf', now)
end

-- held_by_others sums one product's live holds, except holder's; alive is
-- '(' .. now, the ZRANGEBYSCORE bound of expiries after now.
local function held_by_others(exp, qty, holder, alive)
  local live = redis.call('ZRANGEBYSCORE', exp, alive, '+inf')
  if #live == 0 then return 0 end
  local q = {}
  local all = redis.call('HGETALL', qty)
  for i = 1, #all, 2 do q[all[i]] = tonumber(all[i + 1]) end
  local sum = 0
  for _, h in ipairs(live) do
    if h ~= holder then sum = sum + (q[h] or 0) end
  end
  return sum
end

-- expire_with_last makes zset key (and its companion) live exactly as long
-- as its latest score, deleting both when it is empty.
local function expire_with_last(key, companion)
  local top = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  if #top == 0 then
    redis.call('DEL', key)
    if companion then redis.call('DEL', companion) end
    return
  end
  redis.call('PEXPIREAT', key, top[2])
  if companion then redis.call('PEXPIREAT', companion, top[2]) end
end

-- release drops holder's hold on one product.
local function release(prefix, holder, pid)
  local exp, qty = hold_keys(prefix, pid)
  redis.call('ZREM', exp, holder)
  redis.call('HDEL', qty, holder)
  expire_with_last(exp, qty)
end
`

// holdScript sets holder's hold on one product to qty if it fits.
// KEYS: product exp, product qty, holder's holds.
// ARGV: holder, product id, qty, available, ttl ms.
// Returns {ok (0|1), free for holder, expiry ms (0 when none)}.
var holdScript = goredis.NewScript(luaPrelude + `
local now = now_ms()
local holder, pid = ARGV[1], ARGV[2]
local qty, avail, ttl = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5])
purge(KEYS[1], KEYS[2], now)
local free = avail - held_by_others(KEYS[1], KEYS[2], holder, '(' .. now)
if free < 0 then free = 0 end
if qty > free then return {0, free, 0} end
local until_ms = 0
if qty == 0 then
  redis.call('ZREM', KEYS[1], holder)
  redis.call('HDEL', KEYS[2], holder)
  redis.call('ZREM', KEYS[3], pid)
else
  until_ms = now + ttl
  redis.call('ZADD', KEYS[1], until_ms, holder)
  redis.call('HSET', KEYS[2], holder, qty)
  redis.call('ZADD', KEYS[3], until_ms, pid)
end
expire_with_last(KEYS[1], KEYS[2])
expire_with_last(KEYS[3])
return {1, free, until_ms}
`)

// heldByOthersScript sums, per product, the live holds except holder's. It
// only reads: expired holds stop counting at their expiry, purged or not.
// KEYS: exp, qty of each product in turn. ARGV: holder ("" counts all).
var heldByOthersScript = goredis.NewScript(luaPrelude + `
local alive, out = '(' .. now_ms(), {}
for i = 1, #KEYS, 2 do
  out[#out + 1] = held_by_others(KEYS[i], KEYS[i + 1], ARGV[1], alive)
end
return out
`)

// cartScript reads a holder's lines and live holds at one instant.
// KEYS: holder's holds, holder's lines. ARGV: prefix, holder.
// Returns {product, wanted, held, expiry ms, ...}; a hold without a line
// comes with wanted 0.
var cartScript = goredis.NewScript(luaPrelude + `
local now = now_ms()
local lines, out, seen = redis.call('HGETALL', KEYS[2]), {}, {}
local holds = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf', 'WITHSCORES')
local held = {}
for i = 1, #holds, 2 do
  local _, qty = hold_keys(ARGV[1], holds[i])
  held[holds[i]] = {tonumber(redis.call('HGET', qty, ARGV[2])) or 0, tonumber(holds[i + 1])}
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
// shortening one) and the lines' TTL; lapsed holds are dropped.
// KEYS: holder's holds, holder's lines. ARGV: prefix, holder, ttl ms, cart ttl ms.
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
return renewed
`)

// clearScript drops a holder's holds and lines.
// KEYS: holder's holds, holder's lines. ARGV: prefix, holder.
var clearScript = goredis.NewScript(luaPrelude + `
for _, pid in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  release(ARGV[1], ARGV[2], pid)
end
redis.call('DEL', KEYS[1], KEYS[2])
return 1
`)

// setLineScript sets the wanted quantity of one line (0 removes it) and
// renews the lines' TTL. KEYS: holder's lines. ARGV: product, qty, ttl ms.
var setLineScript = goredis.NewScript(`
if tonumber(ARGV[2]) == 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
else
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`)

// unlockScript deletes a lock only if it still holds the caller's token.
var unlockScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`)
