/**
 * Whether a new password is good enough: a length between MIN and MAX, then the zxcvbn-ts estimator with its common
 * and English dictionaries (leaked-password lists, common words, names, keyboard patterns, dates, l33t spellings
 * and the person's own username and address) must rate it at least MIN_PASSWORD_SCORE, "safely unguessable".
 *
 * The verdict carries zxcvbn's feedback as its translation keys (`warnings.common`, `suggestions.anotherWord` …),
 * never sentences: the pages and the CLI say them in the reader's language (src/http/web/account-sentences.ts).
 *
 * Cost: the estimator runs on the event loop. Its worst inputs (long l33t-looking repetitions) took 0.7 s with the
 * defaults; only the first ESTIMATED_LENGTH characters are estimated and at most 4 l33t substitutions tried, which
 * keeps the worst under 60 ms on this project's machines and rates the usual passwords the same. Levenshtein
 * matching (near-misses of common passwords) is off: it cost about a second per password.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from './passwords.ts';

/** zxcvbn's 3: "safely unguessable: moderate protection from an offline slow-hash scenario" (Argon2id here). */
export const MIN_PASSWORD_SCORE = 3;
const ESTIMATED_LENGTH = 64;

export type PasswordVerdict =
  | { ok: true }
  | { ok: false; code: 'too_short' }
  | { ok: false; code: 'too_long' }
  | { ok: false; code: 'too_weak'; warning: string | null; suggestions: string[] };

let estimator: ZxcvbnFactory | undefined;

function estimatorOnce(): ZxcvbnFactory {
  // Built on first use: loading the dictionaries takes half a second, which commands that never check a password skip.
  estimator ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    maxLength: ESTIMATED_LENGTH,
    l33tMaxSubstitutions: 4,
  });
  return estimator;
}

/** Checks a password someone chose; `personal` are the words a guesser would try first (username, email address). */
export function checkNewPassword(password: string, personal: readonly string[]): PasswordVerdict {
  if (password.length < MIN_PASSWORD_LENGTH) return { ok: false, code: 'too_short' };
  if (password.length > MAX_PASSWORD_LENGTH) return { ok: false, code: 'too_long' };
  const words = personal.flatMap((word) => [word, ...word.split(/[@.\-_+]/)]).filter((word) => word.length >= 3);
  const result = estimatorOnce().check(password, words);
  if (result.score >= MIN_PASSWORD_SCORE) return { ok: true };
  return { ok: false, code: 'too_weak', warning: result.feedback.warning, suggestions: result.feedback.suggestions };
}
