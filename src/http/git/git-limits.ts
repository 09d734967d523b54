/**
 * The limits on one git exchange beyond the process cap and the rate limit: how many body bytes git is fed, the
 * settings receive-pack runs with, and the line a client is told when its body is refused.
 */
import type { GitService } from '../../domain/git-access.ts';
import type { BodyGuardFailure } from './request-body-guard.ts';

/** 0 means no limit. */
export interface GitRequestLimits {
  maxPushBytes: number;
  idleTimeoutMs: number;
}

interface GitLimitTarget {
  service: GitService;
  limits: GitRequestLimits;
}

/**
 * Most bytes (after gzip) of an upload-pack request: a fetch's wants and haves are a few KiB per thousand refs or
 * commits, so this is room for the largest negotiation while keeping a gzip bomb from feeding git without end.
 */
export const MAX_NEGOTIATION_BYTES = 100 * 1024 * 1024;
/**
 * What a push body may carry beyond its pack: the ref-update commands, push options and a push certificate. The
 * pack itself is capped by receive.maxInputSize, so git tells the pusher in its own words; this is the backstop.
 */
const PUSH_COMMANDS_ALLOWANCE = 4 * 1024 * 1024;

export function maxBodyBytes(target: GitLimitTarget): number {
  if (target.service === 'git-upload-pack') return MAX_NEGOTIATION_BYTES;
  return target.limits.maxPushBytes > 0 ? target.limits.maxPushBytes + PUSH_COMMANDS_ALLOWANCE : 0;
}

/**
 * Settings for receive-pack, given through git's environment because the dashed programs take no `-c`:
 * fsckObjects refuses malformed objects and the .gitmodules tricks behind CVE-2018-11235 (git's message reaches the
 * pusher as `remote:` lines); maxInputSize refuses a pack larger than the push limit as it streams in.
 */
export function receivePackConfig(target: GitLimitTarget): NodeJS.ProcessEnv {
  if (target.service !== 'git-receive-pack') return {};
  const settings: [string, string][] = [['receive.fsckObjects', 'true']];
  if (target.limits.maxPushBytes > 0) settings.push(['receive.maxInputSize', String(target.limits.maxPushBytes)]);
  const env: NodeJS.ProcessEnv = { GIT_CONFIG_COUNT: String(settings.length) };
  settings.forEach(([key, value], index) => {
    env[`GIT_CONFIG_KEY_${index}`] = key;
    env[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return env;
}

/** The one line a client is told when its body is refused before git answered (git itself prints `RPC failed`). */
export function bodyRefusal(failure: BodyGuardFailure, target: GitLimitTarget): { status: number; message: string } {
  if (failure === 'idle') return { status: 408, message: 'The request body stalled; the connection was closed.' };
  return target.service === 'git-receive-pack'
    ? { status: 413, message: `Push refused: larger than the limit of ${target.limits.maxPushBytes} bytes.` }
    : { status: 413, message: `Request refused: larger than the limit of ${MAX_NEGOTIATION_BYTES} bytes.` };
}
