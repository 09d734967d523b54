/**
 * `tessera config show`, run as an admin would: every effective setting with where it came from (flag,
 * environment, file, edition, default), and no password or secret on the screen.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliEnvironment, runCli } from '../helpers/cli.ts';

const SECRETS = ['db-s3cret', 'smtp-s3cret', 'redis-s3cret'];

test('tessera config show: effective settings, their sources, secrets masked', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'tessera-config-show-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'tessera.json');
  await writeFile(file, JSON.stringify({ apiAnonymousRateLimit: 30, mailFrom: 'Code <code@example.com>' }));
  const env = cliEnvironment({ dataDir: dir }, {
    TESSERA_EDITION: 'managed',
    TESSERA_CONFIG: file,
    TESSERA_UNUSED_TOKEN_DAYS: '180',
    TESSERA_DATABASE_URL: 'postgres://tessera:db-s3cret@db.internal:5432/tessera',
    TESSERA_SMTP_URL: 'smtp://mailer:smtp-s3cret@mail.internal:587',
    TESSERA_REDIS_URL: 'redis://:redis-s3cret@redis.internal:6379',
  });

  const shown = await runCli(env, 'config', 'show', '--port', '9000');
  assert.equal(shown.code, 0, shown.stderr);
  const line = (setting: string) => shown.stdout.split('\n').find((text) => text.startsWith(`${setting} `))?.replace(/ +/g, ' ');
  assert.equal(line('edition'), 'edition managed environment (TESSERA_EDITION)');
  assert.equal(line('requireVerifiedEmail'), 'requireVerifiedEmail true edition (the managed edition)');
  assert.equal(line('samlTokenAuthorization'), 'samlTokenAuthorization true edition (the managed edition)');
  assert.equal(line('unusedTokenDays'), 'unusedTokenDays 180 environment (TESSERA_UNUSED_TOKEN_DAYS)');
  assert.equal(line('apiRateLimit'), 'apiRateLimit 15000 edition (the managed edition)');
  assert.equal(line('graphqlRateLimit'), 'graphqlRateLimit 10000 edition (the managed edition)');
  assert.equal(line('defaultLocale'), 'defaultLocale en default');
  assert.equal(line('apiAnonymousRateLimit'), `apiAnonymousRateLimit 30 file (apiAnonymousRateLimit in ${file})`);
  assert.equal(line('port'), 'port 9000 flag (--port)');
  assert.equal(line('host'), 'host 127.0.0.1 default');
  assert.equal(line('databaseUrl'), 'databaseUrl postgres://tessera:****@db.internal:5432/tessera environment (TESSERA_DATABASE_URL)');
  assert.equal(line('smtpUrl'), 'smtpUrl smtp://mailer:****@mail.internal:587 environment (TESSERA_SMTP_URL)');
  assert.equal(line('redisUrl'), 'redisUrl redis://:****@redis.internal:6379 environment (TESSERA_REDIS_URL)');
  for (const secret of SECRETS) assert.ok(!shown.stdout.includes(secret) && !shown.stderr.includes(secret), `${secret} is not shown`);

  const json = await runCli(env, 'config', 'show', '--json');
  assert.equal(json.code, 0, json.stderr);
  const settings = JSON.parse(json.stdout) as Record<string, { value: unknown; source: string; detail: string }>;
  assert.deepEqual(settings.unusedTokenDays, { value: 180, source: 'environment', detail: 'TESSERA_UNUSED_TOKEN_DAYS' });
  assert.deepEqual(settings.requireVerifiedEmail, { value: true, source: 'edition', detail: 'the managed edition' });
  assert.equal(settings.tlsCert?.value, null);
  for (const secret of SECRETS) assert.ok(!json.stdout.includes(secret), `${secret} is not in the JSON`);

  const refused = await runCli({ ...env, TESSERA_REQUIRE_VERIFIED_EMAIL: 'false' }, 'config', 'show');
  assert.equal(refused.code, 1);
  assert.equal(refused.stdout, '');
  assert.match(refused.stderr, /^tessera: The managed edition always requires a verified email address before a token is created/);
  assert.doesNotMatch(refused.stderr, /^\s+at /m, 'no stack trace');
});
