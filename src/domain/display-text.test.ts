import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDisplayText } from './display-text.ts';

test('display text refuses C0 and C1 controls and the bidirectional overrides and isolates, and nothing else', () => {
  const cases: Array<[string, string, ReturnType<typeof checkDisplayText>]> = [
    ['plain ASCII', 'deploy key', { ok: true }],
    ['emoji and accents', 'clé de déploiement 🔑', { ok: true }],
    ['Cyrillic', 'ключ для CI', { ok: true }],
    ['Arabic with its own direction', 'مفتاح النشر', { ok: true }],
    ['left-to-right and right-to-left marks', 'a\u200eb\u200fc\u061c', { ok: true }],
    ['zero-width joiner in an emoji', '👩\u200d💻', { ok: true }],
    ['NUL', 'a\u0000b', { ok: false, code: 'control_character' }],
    ['tab', 'a\tb', { ok: false, code: 'control_character' }],
    ['line feed', 'a\nb', { ok: false, code: 'control_character' }],
    ['escape sequence', '\u001b[2Jwiped', { ok: false, code: 'control_character' }],
    ['unit separator, the last C0', 'a\u001fb', { ok: false, code: 'control_character' }],
    ['DEL', 'a\u007fb', { ok: false, code: 'control_character' }],
    ['C1 next line', 'a\u0085b', { ok: false, code: 'control_character' }],
    ['C1 control sequence introducer', 'a\u009bb', { ok: false, code: 'control_character' }],
    ['APC, the last C1', 'a\u009fb', { ok: false, code: 'control_character' }],
    ['first character after C1 (no-break space)', '\u00a0', { ok: true }],
    ['left-to-right embedding U+202A', 'a\u202ab', { ok: false, code: 'bidi_control' }],
    ['right-to-left override U+202E', 'deploy\u202eyek', { ok: false, code: 'bidi_control' }],
    ['U+2029 just before the range', 'a\u2029b', { ok: true }],
    ['U+202F just after the overrides', 'a\u202fb', { ok: true }],
    ['left-to-right isolate U+2066', 'a\u2066b', { ok: false, code: 'bidi_control' }],
    ['pop directional isolate U+2069', 'a\u2069b', { ok: false, code: 'bidi_control' }],
    ['U+2065 before the isolates', 'a\u2065b', { ok: true }],
    ['U+206A after the isolates', 'a\u206ab', { ok: true }],
  ];
  for (const [what, text, expected] of cases) assert.deepEqual(checkDisplayText(text), expected, what);
});
