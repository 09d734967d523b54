/**
 * Rate-limit windows in Redis, shared by every process: one hash per key (`s` = window start in ms, `u` = used),
 * read and counted in one Lua script so two processes never both start a window or lose a count. The time is the
 * caller's (see shared-state.ts); Redis's own expiry only clears a window's hash once it is over.
 */
import type { Redis } from 'ioredis';
import { RATE_LIMIT_WINDOW_MS, rateLimitState, type RateLimiter } from '../domain/shared-state.ts';

// A count within a running window is one HINCRBY: its start, and so its expiry, stay as they were set when it began.
const WINDOW_SCRIPT = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local count = ARGV[3] == '1'
local fields = redis.call('HMGET', KEYS[1], 's', 'u')
local started = tonumber(fields[1])
if started and now >= started and now - started < window then
  if count then return {redis.call('HINCRBY', KEYS[1], 'u', 1), started} end
  return {tonumber(fields[2]) or 0, started}
end
if count then
  redis.call('HSET', KEYS[1], 's', now, 'u', 1)
  redis.call('PEXPIRE', KEYS[1], window + 60000)
  return {1, now}
end
return {0, now}
`;

type WindowCommand = (key: string, now: number, window: number, count: '0' | '1') => Promise<[number, number]>;

export function createRedisRateLimiter(redis: Redis): RateLimiter {
  redis.defineCommand('tesseraRateWindow', { numberOfKeys: 1, lua: WINDOW_SCRIPT });
  const windowCommand = (redis as unknown as { tesseraRateWindow: WindowCommand }).tesseraRateWindow.bind(redis);
  async function window(key: string, limit: number, now: Date, count: boolean) {
    const at = now.getTime();
    if (limit === 0) return rateLimitState(0, at, 0);
    const [used, startedAt] = await windowCommand(`rate:${key}`, at, RATE_LIMIT_WINDOW_MS, count ? '1' : '0');
    return rateLimitState(Number(used), Number(startedAt), limit);
  }
  return {
    consume: (key, limit, now) => window(key, limit, now, true),
    peek: (key, limit, now) => window(key, limit, now, false),
  };
}
