import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from './config.ts';
import { configRows, formatConfigRows, MASK, maskSecrets } from './config-report.ts';

test('passwords and secrets are masked, and nothing else is changed', () => {
  const cases: Array<[string, string, string]> = [
    ['databaseUrl', 'postgres://tessera:s3cret@db.internal:5432/tessera', `postgres://tessera:${MASK}@db.internal:5432/tessera`],
    ['databaseUrl', 'postgres://db.internal/tessera?sslmode=require&password=s3cret', `postgres://db.internal/tessera?sslmode=require&password=${MASK}`],
    ['databaseUrl', 'host=db.internal password=\'s3 cret\' dbname=tessera', `host=db.internal password=${MASK} dbname=tessera`],
    ['databaseUrl', 'postgres://tessera:s3 cret@db.internal:99999/tessera', `postgres://tessera:${MASK}@db.internal:99999/tessera`],
    ['databaseUrl', 'postgres://db.internal/tessera', 'postgres://db.internal/tessera'],
    ['smtpUrl', 'smtp://mailer:p%40ss@mail.internal:587', `smtp://mailer:${MASK}@mail.internal:587`],
    ['redisUrl', 'redis://:hunter2@redis.internal:6379/0', `redis://:${MASK}@redis.internal:6379/0`],
    ['redisUrl', 'rediss://default:hunter2@redis.internal', `rediss://default:${MASK}@redis.internal`],
    ['sessionSecret', 'a-long-random-secret', MASK],
    ['smtpPassword', 'hunter2', MASK],
    ['baseUrl', 'https://code.example.com', 'https://code.example.com'],
    ['mailFrom', 'Tessera <noreply@code.example.com>', 'Tessera <noreply@code.example.com>'],
    ['dataDir', '/srv/tessera', '/srv/tessera'],
  ];
  for (const [key, value, expected] of cases) assert.equal(maskSecrets(key, value), expected, `${key}: ${value}`);
});

test('one row per setting, in the order of the config, with its source and what set it', () => {
  const config = loadConfig({
    TESSERA_EDITION: 'managed', TESSERA_DATABASE_URL: 'postgres://tessera:s3cret@db/tessera', TESSERA_TRUST_PROXY: '10.0.0.2,10.0.1.0/24',
  }, { port: '9000' });
  const rows = configRows(config, undefined);
  const row = (setting: string) => rows.find((candidate) => candidate.setting === setting);
  assert.deepEqual(rows.slice(0, 3).map((r) => r.setting), ['edition', 'requireVerifiedEmail', 'samlTokenAuthorization']);
  assert.equal(rows.length, Object.keys(config.sources).length);
  assert.deepEqual(row('edition'), { setting: 'edition', value: 'managed', json: 'managed', source: 'environment', detail: 'TESSERA_EDITION' });
  assert.deepEqual(row('apiRateLimit'), { setting: 'apiRateLimit', value: '15000', json: 15000, source: 'edition', detail: 'the managed edition' });
  assert.deepEqual(row('port'), { setting: 'port', value: '9000', json: 9000, source: 'flag', detail: '--port' });
  assert.deepEqual(row('databaseUrl')?.value, `postgres://tessera:${MASK}@db/tessera`);
  assert.deepEqual(row('trustProxy')?.json, ['10.0.0.2', '10.0.1.0/24']);
  assert.deepEqual(row('smtpUrl'), { setting: 'smtpUrl', value: '(not set)', json: null, source: 'default', detail: '' });

  const text = formatConfigRows(rows);
  assert.match(text, /^setting +value +source$/m);
  assert.match(text, /^apiRateLimit +15000 +edition \(the managed edition\)$/m);
  assert.match(text, /^smtpUrl +\(not set\) +default$/m);
  assert.doesNotMatch(text, /s3cret/);
});
