/**
 * Lua scripts of the Redis outbox. Each runs atomically on the server, so an entry's state, its place
 * in the stream and its retry time never disagree, whichever instance crashes when. All keys share the
 * `{outbox}` hash tag, so on Redis Cluster they live in one slot and the scripts may touch them together.
 */

/**
 * KEYS item, stream, all, due; ARGV ref, record, data, enqueuedAt, dueAt, now. An entry due later (a
 * check hours after delivery) waits in the retry set instead of the stream. Returns the existing
 * record, or nil when added.
 */
export const enqueueOnceScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HGET', KEYS[1], 'record') end
redis.call('HSET', KEYS[1], 'status', 'pending', 'record', ARGV[2], 'data', ARGV[3])
if ARGV[5] and tonumber(ARGV[5]) > tonumber(ARGV[6]) then
  redis.call('ZADD', KEYS[4], ARGV[5], ARGV[1])
else
  redis.call('XADD', KEYS[2], '*', 'ref', ARGV[1])
end
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
return false
`;

/**
 * Moves an item whose record cannot be read out of the way: renamed to its quarantine key, off the
 * retry and listing sets, into the quarantine set, its stream entry acknowledged and dropped, so the
 * entries read with it go on. KEYS item, quarantined item, stream, due, all, quarantine; ARGV ref,
 * group, entryId, now.
 */
export const quarantineScript = `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('RENAME', KEYS[1], KEYS[2]) end
redis.call('ZREM', KEYS[4], ARGV[1])
redis.call('ZREM', KEYS[5], ARGV[1])
redis.call('ZADD', KEYS[6], ARGV[4], ARGV[1])
if ARGV[3] ~= '' then
  redis.call('XACK', KEYS[3], ARGV[2], ARGV[3])
  redis.call('XDEL', KEYS[3], ARGV[3])
end
return 1
`;

/**
 * A Stream has no delayed delivery, so entries waiting to be retried sit in a sorted set scored by
 * their due time; this moves the due ones back onto the stream. KEYS due, stream; ARGV now, max.
 */
export const promoteDueScript = `
local refs = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, ref in ipairs(refs) do
  redis.call('ZREM', KEYS[1], ref)
  redis.call('XADD', KEYS[2], '*', 'ref', ref)
end
return #refs
`;

/**
 * Acknowledges a stream entry and records its attempt. Delivered is final; parked yields only to
 * delivered; a delivered item expires after ARGV[7] ms (its payload is purged at once). KEYS item,
 * stream, due; ARGV entryId, group, outcome, record, nextAttemptAt, ref, deliveredTtlMs.
 * Returns the record now stored (nil when the item is gone).
 */
export const settleScript = `
redis.call('XACK', KEYS[2], ARGV[2], ARGV[1])
redis.call('XDEL', KEYS[2], ARGV[1])
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return false end
if status == 'delivered' or (status == 'parked' and ARGV[3] ~= 'delivered') then
  return redis.call('HGET', KEYS[1], 'record')
end
if ARGV[3] == 'retry' then
  redis.call('HSET', KEYS[1], 'status', 'pending', 'record', ARGV[4])
  redis.call('ZADD', KEYS[3], ARGV[5], ARGV[6])
  return ARGV[4]
end
redis.call('HSET', KEYS[1], 'status', ARGV[3], 'record', ARGV[4])
redis.call('ZREM', KEYS[3], ARGV[6])
if ARGV[3] == 'delivered' then
  redis.call('HDEL', KEYS[1], 'data')
  if ARGV[7] and tonumber(ARGV[7]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[7]) end
end
return ARGV[4]
`;

/** Drops a stream entry whose item is no longer pending (a duplicate left by a takeover). KEYS stream; ARGV group, entryId. */
export const discardEntryScript = `
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
redis.call('XDEL', KEYS[1], ARGV[2])
return 1
`;

/**
 * Withdraws an entry not yet delivered: parks it, purges its payload and takes it off the retry set (a
 * stream entry left behind is dropped when read, as the item is no longer pending). KEYS item, due;
 * ARGV record, ref. Returns the record now stored (nil when the item is gone).
 */
export const withdrawScript = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return false end
if status == 'delivered' then return redis.call('HGET', KEYS[1], 'record') end
redis.call('HSET', KEYS[1], 'status', 'parked', 'record', ARGV[1])
redis.call('HDEL', KEYS[1], 'data')
redis.call('ZREM', KEYS[2], ARGV[2])
return ARGV[1]
`;

/**
 * Puts a parked entry with its payload back on the stream. KEYS item, stream; ARGV record, ref.
 * Returns the record, or why not: 'not-found', 'not-parked', 'no-payload'.
 */
export const replayScript = `
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'not-found' end
if status ~= 'parked' then return 'not-parked' end
if redis.call('HEXISTS', KEYS[1], 'data') == 0 then return 'no-payload' end
redis.call('HSET', KEYS[1], 'status', 'pending', 'record', ARGV[1])
redis.call('XADD', KEYS[2], '*', 'ref', ARGV[2])
return ARGV[1]
`;
