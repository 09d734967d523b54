/**
 * Claimed keys in Redis, shared by every process: the key holds its expiry in ms by the caller's clock (see
 * shared-state.ts), and a Lua script reads and sets it in one step, so two processes never both win a claim.
 * Redis's own expiry (a minute after the caller's) only clears the key once it is over.
 */
import type { Redis } from 'ioredis';
import type { ReplayCache } from '../domain/shared-state.ts';

const CLAIM_SCRIPT = `
local now = tonumber(ARGV[1])
local expires = tonumber(redis.call('GET', KEYS[1]))
if expires and expires > now then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`;

type ClaimCommand = (key: string, now: number, expiresAt: number, redisTtlMs: number) => Promise<number>;

export function createRedisReplayCache(redis: Redis): ReplayCache {
  redis.defineCommand('tesseraReplayClaim', { numberOfKeys: 1, lua: CLAIM_SCRIPT });
  const claimCommand = (redis as unknown as { tesseraReplayClaim: ClaimCommand }).tesseraReplayClaim.bind(redis);
  return {
    async claim(key, ttlMs, now) {
      const at = now.getTime();
      return (await claimCommand(`replay:${key}`, at, at + ttlMs, Math.max(ttlMs, 1) + 60_000)) === 1;
    },
  };
}
