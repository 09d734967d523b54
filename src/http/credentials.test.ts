import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { type Credential, parseAuthorization } from './credentials.ts';

const TOKEN = 'tsp_TesseraKnownVector0000000000012b5qD0';

function basic(userAndPassword: string): string {
  return `Basic ${Buffer.from(userAndPassword, 'utf8').toString('base64')}`;
}

const cases: ReadonlyArray<[string, string | string[] | undefined, Credential]> = [
  // Nothing presented.
  ['no header', undefined, { kind: 'none' }],

  // token and Bearer: the value is passed on as it is; whether it is a valid token is checkToken's business.
  ['token T', `token ${TOKEN}`, { kind: 'token', secret: TOKEN, scheme: 'token' }],
  ['Bearer T', `Bearer ${TOKEN}`, { kind: 'token', secret: TOKEN, scheme: 'bearer' }],
  ['TOKEN T (scheme in upper case)', `TOKEN ${TOKEN}`, { kind: 'token', secret: TOKEN, scheme: 'token' }],
  ['Token T (scheme capitalised)', `Token ${TOKEN}`, { kind: 'token', secret: TOKEN, scheme: 'token' }],
  ['bearer T (scheme in lower case)', `bearer ${TOKEN}`, { kind: 'token', secret: TOKEN, scheme: 'bearer' }],
  ['BEARER T', `BEARER ${TOKEN}`, { kind: 'token', secret: TOKEN, scheme: 'bearer' }],
  ['bEaReR T (mixed case)', `bEaReR ${TOKEN}`, { kind: 'token', secret: TOKEN, scheme: 'bearer' }],
  ['surrounding spaces and several spaces between', `  token   ${TOKEN}  `, { kind: 'token', secret: TOKEN, scheme: 'token' }],
  ['token with a value that is not one of ours', 'token abc123', { kind: 'token', secret: 'abc123', scheme: 'token' }],
  ['Bearer with a GitHub token', 'Bearer ghp_xxxxxxxxxxxx', { kind: 'token', secret: 'ghp_xxxxxxxxxxxx', scheme: 'bearer' }],
  ['the value keeps its case', `token ${TOKEN.toUpperCase()}`, { kind: 'token', secret: TOKEN.toUpperCase(), scheme: 'token' }],

  // Basic: the password is the token, whatever the username.
  ['Basic user:T', basic(`octocat:${TOKEN}`), { kind: 'token', secret: TOKEN, scheme: 'basic' }],
  ['Basic with another username', basic(`x-access-token:${TOKEN}`), { kind: 'token', secret: TOKEN, scheme: 'basic' }],
  ['Basic with an empty username', basic(`:${TOKEN}`), { kind: 'token', secret: TOKEN, scheme: 'basic' }],
  ['Basic with the token as username and as password', basic(`${TOKEN}:${TOKEN}`), { kind: 'token', secret: TOKEN, scheme: 'basic' }],
  ['basic (lower case) user:T', `basic ${Buffer.from(`u:${TOKEN}`).toString('base64')}`, { kind: 'token', secret: TOKEN, scheme: 'basic' }],
  ['BASIC (upper case) user:T', `BASIC ${Buffer.from(`u:${TOKEN}`).toString('base64')}`, { kind: 'token', secret: TOKEN, scheme: 'basic' }],
  ['Basic with a malformed tsp_ password is still a token (refused later)', basic('u:tsp_nope'), { kind: 'token', secret: 'tsp_nope', scheme: 'basic' }],
  ['Basic without base64 padding', `Basic ${Buffer.from(`u:${TOKEN}`).toString('base64').replace(/=+$/, '')}`, { kind: 'token', secret: TOKEN, scheme: 'basic' }],

  // Basic with an account password: recognised, so the answer can say to use a token.
  ['Basic user:password', basic('octocat:hunter2hunter2'), { kind: 'password' }],
  ['Basic with a password containing colons', basic('octocat:pa:ss:word'), { kind: 'password' }],
  ['Basic with a non-ASCII password', basic('octocat:pässwörd'), { kind: 'password' }],
  ['Basic with a password in upper case TSP_', basic('u:TSP_abc'), { kind: 'password' }],
  ['Basic with a password that contains a token after other text', basic(`u: ${TOKEN}`), { kind: 'password' }],

  // Malformed.
  ['empty', '', { kind: 'malformed' }],
  ['only spaces', '   ', { kind: 'malformed' }],
  ['a scheme without a value', 'token', { kind: 'malformed' }],
  ['Bearer without a value', 'Bearer ', { kind: 'malformed' }],
  ['a value without a scheme', TOKEN, { kind: 'malformed' }],
  ['three parts', `token ${TOKEN} extra`, { kind: 'malformed' }],
  ['a wrong scheme', `Digest ${TOKEN}`, { kind: 'malformed' }],
  ['another wrong scheme', `Negotiate ${TOKEN}`, { kind: 'malformed' }],
  ['a scheme glued with a colon', `token:${TOKEN}`, { kind: 'malformed' }],
  ['10 KB long', `token ${'a'.repeat(10 * 1024)}`, { kind: 'malformed' }],
  ['10 KB long Basic', `Basic ${Buffer.from(`u:${'tsp_'.padEnd(10 * 1024, 'a')}`).toString('base64')}`, { kind: 'malformed' }],
  ['non-ASCII in the value', 'token tsp_ä', { kind: 'malformed' }],
  ['non-ASCII in the scheme', `tökén ${TOKEN}`, { kind: 'malformed' }],
  ['a tab between scheme and value', `token\t${TOKEN}`, { kind: 'malformed' }],
  ['a control character', `token ${TOKEN}\u0000`, { kind: 'malformed' }],
  ['a newline', `token ${TOKEN}\nX-Injected: 1`, { kind: 'malformed' }],
  ['bad base64', 'Basic !!!notbase64!!!', { kind: 'malformed' }],
  ['base64url alphabet', `Basic ${Buffer.from('u?:tsp_>>>>').toString('base64url')}`, { kind: 'malformed' }],
  ['base64 with too much padding', 'Basic dTp0c3Bf===', { kind: 'malformed' }],
  ['padding in the middle', 'Basic dT=p0c3Bf', { kind: 'malformed' }],
  ['Basic without a colon', basic(TOKEN), { kind: 'malformed' }],
  ['Basic with an empty password', basic('octocat:'), { kind: 'malformed' }],
  ['Basic with nothing at all', basic(':'), { kind: 'malformed' }],
  ['Basic with an empty value', 'Basic ', { kind: 'malformed' }],
  ['an array of one header', [`token ${TOKEN}`], { kind: 'malformed' }],
  ['an array of two headers', [`token ${TOKEN}`, `Bearer ${TOKEN}`], { kind: 'malformed' }],
  ['an empty array', [], { kind: 'malformed' }],
];

describe('parseAuthorization', () => {
  for (const [name, header, expected] of cases) {
    test(name, () => assert.deepEqual(parseAuthorization(header), expected));
  }

  test('the length limit: 1,024 characters are read, 1,025 are not', () => {
    const at = (length: number) => `token ${'a'.repeat(length - 'token '.length)}`;
    assert.equal(at(1024).length, 1024);
    assert.deepEqual(parseAuthorization(at(1024)), { kind: 'token', secret: 'a'.repeat(1018), scheme: 'token' });
    assert.deepEqual(parseAuthorization(at(1025)), { kind: 'malformed' });
  });

  test('the credential never depends on the scheme beyond naming it', () => {
    const secrets = [`token ${TOKEN}`, `Bearer ${TOKEN}`, basic(`anyone:${TOKEN}`)].map((header) => {
      const credential = parseAuthorization(header);
      assert.equal(credential.kind, 'token');
      return credential.kind === 'token' ? credential.secret : undefined;
    });
    assert.deepEqual(secrets, [TOKEN, TOKEN, TOKEN]);
  });

  test('a password credential carries no copy of the password', () => {
    const credential = parseAuthorization(basic('octocat:hunter2hunter2'));
    assert.ok(!JSON.stringify(credential).includes('hunter2'));
  });
});
