/**
 * Tessera's SAML service-provider side for tests that call src/saml/ directly: deps with a fake clock and the shared
 * state the run selects (this process's memory, or Redis under a prefix of the test's own with TESSERA_TEST_REDIS_URL),
 * and requests issued the way GET /orgs/{org}/sso issues them.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { startSamlSignIn } from '../../src/saml/authn-request.ts';
import type { IdpSettings, SamlDeps, SamlOrganization } from '../../src/saml/types.ts';
import { openSharedState } from '../../src/shared-state/connect.ts';
import { type FakeClock, fakeClock } from './fake-clock.ts';
import { testRedisConfig } from './store.ts';

export const SAML_TEST_BASE_URL = 'https://tessera.example.test';
export const ORG_A: SamlOrganization = { id: 41, login: 'acme' };
export const ORG_B: SamlOrganization = { id: 42, login: 'globex' };

export type SamlTestDeps = SamlDeps & { clock: FakeClock };

/**
 * Deps for `processes` Tessera processes sharing one state, as several `tessera serve` do: with Redis each has its
 * own connection to the same keys; in memory they share the one store (a single process's memory cannot be shared).
 */
export async function openSamlTestProcesses(t: TestContext, processes: number, clock: FakeClock = fakeClock()): Promise<SamlTestDeps[]> {
  const config = await testRedisConfig(t);
  const states = Array.from({ length: config.redisUrl ? processes : 1 }, () => openSharedState(config));
  t.after(() => Promise.all(states.map((state) => state.close())));
  await Promise.all(states.map((state) => state.ready));
  return Array.from({ length: processes }, (_, index) => ({
    clock, config: { baseUrl: SAML_TEST_BASE_URL }, shared: states[index % states.length]!,
  }));
}

/** Deps for one process. */
export async function openSamlTestDeps(t: TestContext, clock: FakeClock = fakeClock()): Promise<SamlTestDeps> {
  return (await openSamlTestProcesses(t, 1, clock))[0]!;
}

/** The ID of a new sign-in started for `org`, as its AuthnRequest carries it. */
export async function issueSamlRequest(deps: SamlDeps, org: SamlOrganization, idp: IdpSettings, relayState?: string): Promise<string> {
  const started = await startSamlSignIn(deps, { org, idp, ...(relayState !== undefined && { relayState }) });
  assert.ok(started.ok);
  return started.requestId;
}
