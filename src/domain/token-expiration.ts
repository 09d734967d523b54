/**
 * Token expiration choices of the "Generate new token" form: a number of days from now, a custom date (the token
 * works through the whole of that day, UTC), or none.
 */
import { DAY_MS } from './deps.ts';

export const EXPIRATION_DAY_CHOICES = [7, 30, 60, 90] as const;
export const DEFAULT_EXPIRATION_DAYS = 30;

export type ExpirationChoice =
  | { kind: 'days'; days: number }
  | { kind: 'date'; date: string }
  | { kind: 'none' };

/** Why a choice gives no expiry: a code, worded by the form and the CLI (token-sentences.ts). */
export type ExpirationProblem = 'days_out_of_range' | 'malformed_date' | 'date_not_after_today';

export type ExpirationResult = { ok: true; expiresAt: Date | null } | { ok: false; error: ExpirationProblem };

export const MIN_EXPIRATION_DAYS = 1;
export const MAX_EXPIRATION_DAYS = 366;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function resolveExpiration(choice: ExpirationChoice, now: Date): ExpirationResult {
  switch (choice.kind) {
    case 'none':
      return { ok: true, expiresAt: null };
    case 'days':
      if (!Number.isInteger(choice.days) || choice.days < MIN_EXPIRATION_DAYS || choice.days > MAX_EXPIRATION_DAYS) {
        return { ok: false, error: 'days_out_of_range' };
      }
      return { ok: true, expiresAt: new Date(now.getTime() + choice.days * DAY_MS) };
    case 'date': {
      const match = ISO_DATE.exec(choice.date);
      const start = match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : Number.NaN;
      if (!match || Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== choice.date) {
        return { ok: false, error: 'malformed_date' };
      }
      const end = start + DAY_MS;
      if (end <= now.getTime() + DAY_MS) return { ok: false, error: 'date_not_after_today' };
      return { ok: true, expiresAt: new Date(end) };
    }
  }
}

/** Parses the CLI's `--expires-in 30d` (days only, as the form offers). */
export function parseExpiresIn(text: string): ExpirationChoice | undefined {
  const match = /^(\d+)d$/.exec(text.trim());
  return match ? { kind: 'days', days: Number(match[1]) } : undefined;
}
