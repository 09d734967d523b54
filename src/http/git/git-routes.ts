/**
 * Git's smart HTTP protocol at `/<owner>/<repo>(.git)/…`: the three endpoints git uses (info/refs, git-upload-pack,
 * git-receive-pack), each authorized here and then served by the installed git (git-service.ts). The dumb protocol
 * is not served.
 *
 * Credentials: HTTP Basic with any username and a token as the password (as GitHub accepts), or an
 * `Authorization: Bearer`/`token` header for tools that send those. An account password is refused with advice.
 */
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { authenticateRequest, type AuthenticationFailure } from '../credentials.ts';
import { findGitRepository, GIT_SERVICES, type GitService, isGitService } from '../../domain/git-access.ts';
import { userOf } from '../../domain/principal.ts';
import { issueSsoAuthorizationUrl } from '../../domain/sso/authorization-requests.ts';
import { rateLimitKey } from '../plugins/api-authentication.ts';
import { gitRefusal } from './git-refusals.ts';
import { serveInfoRefs, serveRpc } from './git-service.ts';
import { NOSNIFF } from '../plugins/security-headers.ts';

export const GIT_REALM = 'Tessera';

interface GitParams {
  owner: string;
  repo: string;
}

/** How long a client refused for want of a free git process is asked to wait: clones usually end within seconds. */
const BUSY_RETRY_AFTER_SECONDS = 10;

function sendGitError(reply: FastifyReply, status: number, message: string, retryAfterSeconds?: number) {
  // git prints a text/plain error body line by line as `remote: …`.
  if (retryAfterSeconds !== undefined) reply.header('Retry-After', Math.max(1, Math.ceil(retryAfterSeconds)));
  // A refused POST's body is never read; closing the connection after the answer saves waiting for it.
  if (reply.request.method === 'POST') reply.header('Connection', 'close');
  if (status === 401) reply.header('WWW-Authenticate', `Basic realm="${GIT_REALM}"`);
  return reply.code(status).headers(NOSNIFF).type('text/plain; charset=utf-8').header('Cache-Control', 'no-store').send(`${message}\n`);
}

/** What git prints (as `remote:` lines) when the credential itself is refused. */
function refusalMessage(reason: AuthenticationFailure, tokensPage: string): string {
  switch (reason) {
    case 'too_many_failures':
      return 'Maximum number of login attempts exceeded. Please try again later.';
    case 'password':
      return `Password authentication is not supported for Git operations. Use a personal access token instead: ${tokensPage}`;
    case 'malformed':
      return 'Invalid credentials. Use your username and a personal access token as the password.';
    case 'repeated':
      return 'Send one Authorization header: this request had more than one (check http.extraHeader in your git config).';
    case 'expired':
      return `Your personal access token has expired. Regenerate it at ${tokensPage}`;
    case 'unknown':
      return `Invalid username or token. Password authentication is not supported for Git operations; use a personal access token: ${tokensPage}`;
  }
}

async function serveGit(
  deps: AppDeps,
  request: FastifyRequest<{ Params: GitParams }>,
  reply: FastifyReply,
  service: GitService,
): Promise<void> {
  const authentication = await authenticateRequest(deps, request);
  if (!authentication.ok) {
    const retryAfter = authentication.reason === 'too_many_failures' ? (authentication.retryAt.getTime() - deps.clock.now().getTime()) / 1000 : undefined;
    return void (await sendGitError(reply, authentication.reason === 'too_many_failures' ? 403 : 401, refusalMessage(authentication.reason, `${deps.config.baseUrl}/settings/tokens`), retryAfter));
  }

  // Git requests have a budget of their own, with the API's keys and limits under the prefix `git:`: every request
  // of a clone or push counts (a clone is two or three), as GitHub counts git traffic apart from its REST budget.
  const principal = authentication.principal;
  const user = userOf(principal);
  const { key, limit } = rateLimitKey({ principal, ip: request.ip }, deps);
  const now = deps.clock.now();
  const budget = await deps.shared.rateLimiter.consume(`git:${key}`, limit, now);
  if (budget.exceeded) {
    const retryAfter = (budget.resetAt.getTime() - now.getTime()) / 1000;
    if (user) {
      return void (await sendGitError(reply, 429, `Rate limit exceeded for ${user.username}: ${limit} Git requests an hour. Please try again later.`, retryAfter));
    }
    // git sends the credentials it has only after a 401 (even those in the URL), so an anonymous request over the
    // limit is asked to sign in: a user sharing a network with a flood (or their own many fetches) goes on with a
    // token, on their own budget.
    return void (await sendGitError(reply, 401, `Rate limit exceeded for ${request.ip}: ${limit} anonymous Git requests an hour. Sign in with a personal access token, or try again later.`, retryAfter));
  }

  const access = await findGitRepository(deps, principal, request.params.owner, request.params.repo, service);
  if (!access.ok) {
    const ssoUrl = access.code === 'sso_required' && principal.kind === 'token'
      ? await issueSsoAuthorizationUrl(deps, principal.token.id, access.organization)
      : undefined;
    const refusal = gitRefusal(principal, access, service, ssoUrl);
    return void (await sendGitError(reply, refusal.status, refusal.message));
  }

  // Checked last, just before git starts, so that a refused request never holds a slot.
  const slot = deps.gitProcesses.acquire(request.ip);
  if (!slot.ok) {
    return void (await (slot.reason === 'server_busy'
      ? sendGitError(reply, 503, 'The server is busy. Please try again in a few seconds.', BUSY_RETRY_AFTER_SECONDS)
      : sendGitError(reply, 429, 'Too many Git operations at once from your address. Please try again when one has finished.', BUSY_RETRY_AFTER_SECONDS)));
  }
  const gitRequest = {
    service,
    repositoryPath: deps.repositoryFiles.pathOf(access.repository),
    username: user?.username,
    limits: { maxPushBytes: deps.git.maxPushBytes, idleTimeoutMs: deps.git.idleTimeoutMs },
  };
  try {
    if (request.method === 'POST') await serveRpc(request, reply, gitRequest, request.body as Readable);
    else await serveInfoRefs(request, reply, gitRequest);
  } finally {
    slot.release();
  }
  // After a push: repack with a bitmap and prune, in the background, debounced (src/git/maintenance-scheduler.ts).
  if (request.method === 'POST' && service === 'git-receive-pack') void deps.repositoryMaintenance.schedule(gitRequest.repositoryPath);
}

export async function gitRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  // Pack data is streamed to git as it arrives: never parsed, never buffered, so no body limit applies here.
  for (const type of ['application/x-git-upload-pack-request', 'application/x-git-receive-pack-request']) {
    app.addContentTypeParser(type, (_request, payload, done) => done(null, payload));
  }

  app.get<{ Params: GitParams; Querystring: { service?: string } }>('/:owner/:repo/info/refs', async (request, reply) => {
    const service = request.query.service;
    if (service === undefined) return sendGitError(reply, 403, 'Please upgrade your git client: only the smart HTTP protocol is served.');
    if (!isGitService(service)) return sendGitError(reply, 403, `Unsupported service: ${service.slice(0, 40)}`);
    return serveGit(deps, request, reply, service);
  });

  for (const service of GIT_SERVICES) {
    app.post<{ Params: GitParams }>(`/:owner/:repo/${service}`, async (request, reply) => {
      if (request.headers['content-type'] !== `application/x-${service}-request`) {
        return sendGitError(reply, 415, `Expected application/x-${service}-request.`);
      }
      return serveGit(deps, request, reply, service);
    });
  }
}
