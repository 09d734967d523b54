import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { type Config, ConfigError, type ConfigKey, editionOf, loadConfig } from './config.ts';

function configFile(t: TestContext, settings: unknown): string {
  const dir = mkdtempSync(join(tmpdir(), 'tessera-config-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'tessera.json');
  writeFileSync(path, JSON.stringify(settings));
  return path;
}

const pick = (config: Config, ...keys: ConfigKey[]) => Object.fromEntries(keys.map((key) => [key, [config[key], config.sources[key].from]]));
const EDITION_SETTINGS: ConfigKey[] = ['edition', 'requireVerifiedEmail', 'samlTokenAuthorization', 'unusedTokenDays', 'apiRateLimit', 'apiAnonymousRateLimit'];

test('each edition\'s defaults, marked as the edition\'s', () => {
  assert.deepEqual(pick(loadConfig({}), ...EDITION_SETTINGS), {
    edition: ['server', 'default'],
    requireVerifiedEmail: [true, 'edition'],
    samlTokenAuthorization: [false, 'edition'],
    unusedTokenDays: [0, 'edition'],
    apiRateLimit: [5000, 'edition'],
    apiAnonymousRateLimit: [60, 'edition'],
  });
  assert.deepEqual(pick(loadConfig({ TESSERA_EDITION: 'cloud' }), ...EDITION_SETTINGS), {
    edition: ['cloud', 'environment'],
    requireVerifiedEmail: [true, 'edition'],
    samlTokenAuthorization: [true, 'edition'],
    unusedTokenDays: [365, 'edition'],
    apiRateLimit: [5000, 'edition'],
    apiAnonymousRateLimit: [60, 'edition'],
  });
  const managed = loadConfig({ TESSERA_EDITION: 'managed' });
  assert.deepEqual(pick(managed, 'unusedTokenDays', 'apiRateLimit', 'samlTokenAuthorization'), {
    unusedTokenDays: [0, 'edition'], apiRateLimit: [15000, 'edition'], samlTokenAuthorization: [true, 'edition'],
  });
  assert.deepEqual(editionOf(managed), { name: 'managed', requireVerifiedEmail: true, samlTokenAuthorization: true });
});

test('settings win over the edition: flag, then environment, then the file', (t) => {
  const file = configFile(t, { edition: 'managed', unusedTokenDays: 90, apiRateLimit: 100, port: 9000, requireVerifiedEmail: true });
  const config = loadConfig({
    TESSERA_CONFIG: file, TESSERA_UNUSED_TOKEN_DAYS: '30', TESSERA_PORT: '9100', TESSERA_API_ANONYMOUS_RATE_LIMIT: '',
  }, { port: '9200' });
  assert.deepEqual(pick(config, 'edition', 'unusedTokenDays', 'apiRateLimit', 'apiAnonymousRateLimit', 'port', 'requireVerifiedEmail'), {
    edition: ['managed', 'file'],
    unusedTokenDays: [30, 'environment'],
    apiRateLimit: [100, 'file'],
    apiAnonymousRateLimit: [60, 'edition'], // an empty variable is no setting
    port: [9200, 'flag'],
    requireVerifiedEmail: [true, 'file'],
  });
  assert.equal(config.sources.unusedTokenDays.variable, 'TESSERA_UNUSED_TOKEN_DAYS');
  assert.equal(config.sources.samlTokenAuthorization.variable, undefined, 'nothing sets it but the edition');

  const off = loadConfig({ TESSERA_REQUIRE_VERIFIED_EMAIL: 'false', TESSERA_UNUSED_TOKEN_DAYS: '365' });
  assert.deepEqual(pick(off, 'edition', 'requireVerifiedEmail', 'unusedTokenDays'), {
    edition: ['server', 'default'], requireVerifiedEmail: [false, 'environment'], unusedTokenDays: [365, 'environment'],
  });
});

test('every setting says where it came from', () => {
  const config = loadConfig({});
  const keys = Object.keys(config).filter((key) => key !== 'sources' && key !== 'baseUrlSource');
  assert.deepEqual(Object.keys(config.sources).sort(), keys.sort(), 'a setting read without the settings reader has no source');
});

test('a setting the edition forbids, or one that cannot be read, stops the command with what to do', (t) => {
  const refusals: Array<[NodeJS.ProcessEnv, RegExp]> = [
    [{ TESSERA_EDITION: 'enterprise' }, /^TESSERA_EDITION must be one of cloud, server, managed, not "enterprise"\.$/],
    [{ TESSERA_EDITION: 'cloud', TESSERA_REQUIRE_VERIFIED_EMAIL: 'false' }, /The cloud edition always requires a verified email address.*TESSERA_EDITION=server/],
    [{ TESSERA_EDITION: 'managed', TESSERA_REQUIRE_VERIFIED_EMAIL: 'no' }, /The managed edition always requires/],
    [{ TESSERA_REQUIRE_VERIFIED_EMAIL: 'sometimes' }, /^TESSERA_REQUIRE_VERIFIED_EMAIL must be true or false, not "sometimes"\.$/],
    [{ TESSERA_UNUSED_TOKEN_DAYS: '-1' }, /^TESSERA_UNUSED_TOKEN_DAYS must be a whole number of 0 or more, not "-1"\.$/],
    [{ TESSERA_CONFIG: configFile(t, { unusedTokenDays: 'a year' }) }, /^unusedTokenDays in TESSERA_CONFIG must be a whole number/],
    [{ TESSERA_CONFIG: configFile(t, { edition: ['cloud'] }) }, /^edition in TESSERA_CONFIG must be text, not \["cloud"\]\.$/],
    [{ TESSERA_CONFIG: configFile(t, null) }, /must hold one JSON object of settings/],
  ];
  for (const [env, message] of refusals) assert.throws(() => loadConfig(env), (error: Error) => error instanceof ConfigError && message.test(error.message), JSON.stringify(env));
});
