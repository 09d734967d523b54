/**
 * The one rule for text people give Tessera that is shown to others or printed back: token notes, display names,
 * repository descriptions, email addresses.
 *
 * Refused: the C0 and C1 control characters and DEL (an escape sequence rewrites a terminal that runs
 * `tessera token list`; a line break forges lines in mail, logs and CSV exports), and the bidirectional embeddings,
 * overrides and isolates U+202A–U+202E and U+2066–U+2069, which make text display in another order than it is stored
 * (Trojan Source, CVE-2021-42574): a note "deploy‮yek" would read as another token's. The marks that only hint a
 * direction (U+200E, U+200F, U+061C) stay allowed: right-to-left names need them, and they reorder nothing after them.
 */

const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

export type UnsafeTextCode = 'control_character' | 'bidi_control';

export type DisplayTextCheck = { ok: true } | { ok: false; code: UnsafeTextCode };

export function checkDisplayText(text: string): DisplayTextCheck {
  if (CONTROL_CHARACTER.test(text)) return { ok: false, code: 'control_character' };
  if (BIDI_CONTROL.test(text)) return { ok: false, code: 'bidi_control' };
  return { ok: true };
}

