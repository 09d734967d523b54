/**
 * How long ago a token was last used, in the coarse steps GitHub's token list uses ("Last used within the last
 * week", "… 2 weeks", "… month", "… 3 months", "… 6 months", "… year", "… 2 years", "Never used"). A code, not a
 * sentence: the page words it (src/views/tokens.eta). Coarse on purpose: last use is itself written at most once a
 * minute (token-last-used.ts), and a person deciding whether a token is still needed wants the order of magnitude.
 */
import { DAY_MS } from './deps.ts';

export type LastUsedBucket =
  | { kind: 'never' }
  | { kind: 'within'; count: number; unit: 'week' | 'month' | 'year' };

/** Upper bounds, inclusive: a use exactly 7 days ago is still "within the last week". */
const STEPS: ReadonlyArray<{ upToDays: number; count: number; unit: 'week' | 'month' | 'year' }> = [
  { upToDays: 7, count: 1, unit: 'week' },
  { upToDays: 14, count: 2, unit: 'week' },
  { upToDays: 30, count: 1, unit: 'month' },
  { upToDays: 90, count: 3, unit: 'month' },
  { upToDays: 180, count: 6, unit: 'month' },
  { upToDays: 365, count: 1, unit: 'year' },
];

export function lastUsedBucket(lastUsedAt: Date | null, now: Date): LastUsedBucket {
  if (lastUsedAt === null) return { kind: 'never' };
  // A use stamped slightly ahead of this clock (another process's clock) counts as now.
  const age = Math.max(now.getTime() - lastUsedAt.getTime(), 0);
  const step = STEPS.find((candidate) => age <= candidate.upToDays * DAY_MS);
  if (step) return { kind: 'within', count: step.count, unit: step.unit };
  // Past a year (removal for disuse may be turned off): whole years, rounded up, as in "within the last 2 years".
  return { kind: 'within', count: Math.ceil(age / (365 * DAY_MS)), unit: 'year' };
}
