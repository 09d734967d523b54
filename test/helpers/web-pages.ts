/**
 * Every page of the site as a browser reaches it, taken from the routes as registered (app.registeredRoutes), not from
 * a hand-made list: a page added later is visited by every test that walks the pages, or fails them until it can be.
 *
 * A page is any GET route outside the API (/api/…) and Git's smart HTTP (…/info/refs). A path parameter is filled
 * from the samples below (a real token, repository, user); a route with a parameter that has no sample throws, saying
 * which to add. A page that needs a query to show anything (the email-verification and password-reset links) takes it
 * from `queries`.
 */
import type { FastifyInstance } from 'fastify';
import { createOrganization } from '../../src/domain/organizations.ts';
import { requestPasswordReset } from '../../src/domain/password-reset.ts';
import { sessionPrincipal } from '../../src/domain/principal.ts';
import type { RepositoryRow, UserRow } from '../../src/store/database.ts';
import { type TestServer, TEST_PASSWORD, verificationLinkIn } from './server.ts';
import type { WebClient } from './web-client.ts';

const GIT_PATH = /\/(?:info\/refs|git-upload-pack|git-receive-pack)$/;

export interface PageWalk {
  user: UserRow;
  password: string;
  tokenId: number;
  repository: RepositoryRow;
  /** Each page to visit: the route as registered and the path that reaches it. */
  pages: Array<{ route: string; path: string }>;
}

/** The GET routes that are pages (HEAD routes are Fastify's copies of them). */
export function pageRoutes(app: FastifyInstance): string[] {
  return app.registeredRoutes
    .filter((route) => route.method === 'GET' && !route.url.startsWith('/api/') && route.url !== '/api' && !GIT_PATH.test(route.url))
    .map((route) => route.url);
}

/** `/settings/tokens/:id` → `/settings/tokens/12`, from a sample for this route, else for the parameter's name. */
export function fillRoute(route: string, byRoute: Record<string, Record<string, string>>, byName: Record<string, string>): string {
  return route.replace(/:([A-Za-z_]+)/g, (_match, name: string) => {
    const value = byRoute[route]?.[name] ?? byName[name];
    if (value === undefined) throw new Error(`no sample value for :${name} in ${route}: add one in test/helpers/web-pages.ts`);
    return encodeURIComponent(value);
  });
}

/**
 * A user with a token, a private repository and an organization, and every page with a path that shows that user's things. The
 * verification page gets a fresh link of a second, unverified account (a link works once: walk the pages once).
 */
export async function preparePageWalk(server: TestServer): Promise<PageWalk> {
  const user = await server.createUser();
  await server.createToken(user, { note: 'walked token', scopes: ['repo', 'user'] });
  const token = await server.db.selectFrom('personal_access_tokens').select('id').where('user_id', '=', user.id).executeTakeFirstOrThrow();
  const repository = await server.createRepository(user, 'walked-repository', { private: true });
  const unverified = await server.createUser({ verified: false });
  const mail = (await server.readOutbox()).find((message) => message.to.includes(unverified.email));
  if (!mail) throw new Error('no verification mail for the unverified account');
  const verification = new URL(verificationLinkIn(mail));
  // A password reset link of the walking user (only looked at: it stays usable).
  await requestPasswordReset(server.deps, user.username);
  await server.deps.background?.settled();
  const resetLink = (await server.readOutbox()).map((message) => /https?:\/\/\S+\/reset-password\?token=\S+/.exec(message.text)?.[0]).find(Boolean);
  if (!resetLink) throw new Error('no password reset mail for the walking user');

  // An organization the user owns, so its people and settings pages show an owner's controls.
  const organization = await createOrganization(server.deps, sessionPrincipal(user), { login: 'walked-org', admin: user }, {});
  if (!organization.ok) throw new Error(`the walked organization could not be made: ${organization.code}`);
  // SAML for the organization, so that its single sign-on pages show. The walk never signs in through the IdP, so its
  // sign-on URL is the site's own home page and its certificate is not checked here.
  const at = new Date().toISOString();
  await server.db.insertInto('organization_saml_settings').values({
    id: organization.organization.owner.id, idp_entity_id: 'https://idp.walked.test', idp_sso_url: `${server.baseUrl}/`,
    idp_certificates: '-----BEGIN CERTIFICATE-----\nMA==\n-----END CERTIFICATE-----', created_at: at, updated_at: at,
  }).execute();
  const byName = { owner: user.username, repo: repository.name, org: organization.organization.owner.login };
  const byRoute = {
    '/settings/tokens/:id': { id: String(token.id) },
    '/settings/tokens/:id/regenerate': { id: String(token.id) },
    '/settings/tokens/:id/sso/:org': { id: String(token.id) },
    '/avatars/u/:id': { id: String(user.id) },
  };
  const queries: Record<string, string> = { '/verify-email': verification.search, '/reset-password': new URL(resetLink).search };
  const pages = pageRoutes(server.app).map((route) => ({ route, path: fillRoute(route, byRoute, byName) + (queries[route] ?? '') }));
  return { user, password: TEST_PASSWORD, tokenId: token.id, repository, pages };
}

/** Signs the client in through the sign-in form, as a person would. */
export async function signInThroughForm(client: WebClient, baseUrl: string, login: string, password: string): Promise<void> {
  await client.get(`${baseUrl}/login`);
  const signedIn = await client.submit(`${baseUrl}/login`, { login, password });
  if (signedIn.status !== 302) throw new Error(`sign-in answered ${signedIn.status}: ${signedIn.body.slice(0, 300)}`);
}
