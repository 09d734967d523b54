/**
 * Rate-limit windows in Redis, shared by every process: one hash per key (`s` = window start in ms, `u` = used),
 * read and counted in one Lua script so two processes never both start a window or lose a count. The time is the
 * caller's (see shared-state.ts); Redis's own expiry only clears a window's hash once it is over.
 *
 * Every API request counts against its window, so the counts asked for within one turn of the event loop go to
 * Redis together: one script call for all of them, run in the order they were asked, each answered with its own
 * count. A round trip per request was a third of what a request cost with Redis (a loopback write that wakes Redis,
 * a command object, a reply to parse); under load one call now carries the requests of a whole turn.
 */
import type { Redis } from 'ioredis';
import { RATE_LIMIT_WINDOW_MS, rateLimitState, type RateLimiter, type RateLimitState } from '../domain/shared-state.ts';

// For each key in turn, ARGV holds its time in ms and whether to count ('1') or only read ('0'); the answer is
// `used, started` for each. A count within a running window is one HINCRBY: its start, and so its expiry, stay as
// they were set when it began.
const WINDOWS_SCRIPT = `
local window = tonumber(ARGV[1])
local answers = {}
for i, key in ipairs(KEYS) do
  local now = tonumber(ARGV[i * 2])
  local count = ARGV[i * 2 + 1] == '1'
  local fields = redis.call('HMGET', key, 's', 'u')
  local started = tonumber(fields[1])
  local used
  if started and now >= started and now - started < window then
    if count then used = redis.call('HINCRBY', key, 'u', 1) else used = tonumber(fields[2]) or 0 end
  elseif count then
    redis.call('HSET', key, 's', now, 'u', 1)
    redis.call('PEXPIRE', key, window + 60000)
    used, started = 1, now
  else
    used, started = 0, now
  end
  answers[i * 2 - 1] = used
  answers[i * 2] = started
end
return answers
`;

/** At most this many windows in one script call: Redis runs a script alone, so one call must stay short. */
const MAX_BATCH = 256;

type WindowsCommand = (keyCount: number, ...keysThenArgs: (string | number)[]) => Promise<number[]>;

interface Asked {
  key: string;
  at: number;
  count: boolean;
  limit: number;
  resolve: (state: RateLimitState) => void;
  reject: (error: unknown) => void;
}

export function createRedisRateLimiter(redis: Redis): RateLimiter {
  redis.defineCommand('tesseraRateWindows', { lua: WINDOWS_SCRIPT });
  const windows = (redis as unknown as { tesseraRateWindows: WindowsCommand }).tesseraRateWindows.bind(redis);
  let waiting: Asked[] = [];

  function send(batch: Asked[]): void {
    const keys = batch.map((asked) => `rate:${asked.key}`);
    const args: (string | number)[] = [RATE_LIMIT_WINDOW_MS];
    for (const asked of batch) args.push(asked.at, asked.count ? '1' : '0');
    windows(batch.length, ...keys, ...args).then((answers) => {
      batch.forEach((asked, i) => asked.resolve(rateLimitState(Number(answers[i * 2]), Number(answers[i * 2 + 1]), asked.limit)));
    }, (error: unknown) => {
      for (const asked of batch) asked.reject(error);
    });
  }

  function sendWaiting(): void {
    const batch = waiting;
    waiting = [];
    if (batch.length > 0) send(batch);
  }

  function window(key: string, limit: number, now: Date, count: boolean): Promise<RateLimitState> {
    const at = now.getTime();
    if (limit === 0) return Promise.resolve(rateLimitState(0, at, 0));
    return new Promise((resolve, reject) => {
      // setImmediate runs once this turn's I/O callbacks (and the requests they started) have asked theirs.
      if (waiting.length === 0) setImmediate(sendWaiting);
      waiting.push({ key, at, count, limit, resolve, reject });
      if (waiting.length >= MAX_BATCH) sendWaiting();
    });
  }

  return {
    consume: (key, limit, now) => window(key, limit, now, true),
    peek: (key, limit, now) => window(key, limit, now, false),
  };
}
