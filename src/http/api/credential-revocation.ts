/**
 * `POST /credentials/revoke`, as GitHub documents it (REST "Revoke a list of credentials"): `{"credentials": [...]}`
 * with 1 to 1,000 strings, no authentication (an authenticated call is refused with 403), 60 calls an hour per
 * client, `202 {}` whatever was found, `422` in GitHub's simple validation shape for a bad body and, as GitHub's
 * documentation says ("Validation failed, or the endpoint has been spammed"), for a client over its limit.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { clientNetworkKey } from '../../domain/rate-limits.ts';
import {
  CREDENTIAL_REVOCATIONS_PER_HOUR, parseRevocationRequest, revokeLeakedTokens, type RevocationRequestProblem,
} from '../../domain/token-revocation.ts';
import { mailLeakedTokenOwners } from '../../mail/leaked-token-mail.ts';
import type { AppDeps } from '../app-deps.ts';
import { requestChangeContext } from '../change-context.ts';
import { setRateLimitHeaders } from '../plugins/api-authentication.ts';
import { sendApiError } from './api-error.ts';

export const AUTHENTICATED_REVOCATION_MESSAGE =
  'Requests to this endpoint must not be authenticated. Send the credentials to revoke without an Authorization header.';

function describeProblem(problem: RevocationRequestProblem): string {
  switch (problem.code) {
    case 'not_an_object': return 'The request body must be a JSON object.';
    case 'credentials_missing': return '"credentials" wasn\'t supplied.';
    case 'credentials_not_an_array': return 'For \'properties/credentials\', the value is not an array.';
    case 'credentials_empty': return 'For \'properties/credentials\', [] has fewer than 1 item.';
    case 'credentials_too_many': return `For 'properties/credentials', the list has more than ${problem.maximum} items.`;
    case 'credential_not_a_string': return `For 'items', the item at index ${problem.index} is not a string.`;
  }
}

function sendValidationFailure(reply: FastifyReply, detail: string) {
  return sendApiError(reply, 422, `Invalid request.\n\n${detail}`, { errors: [detail] });
}

export function registerCredentialRevocationRoutes(app: FastifyInstance, deps: AppDeps): void {
  // Its own budget, not the anonymous API budget: a scanner reporting leaks should not be starved by, nor starve,
  // the same address's ordinary API calls.
  app.post('/credentials/revoke', { config: { countsAgainstRateLimit: false } }, async (request, reply) => {
    if (request.principal.kind !== 'anonymous') return sendApiError(reply, 403, AUTHENTICATED_REVOCATION_MESSAGE);
    const now = deps.clock.now();
    const state = await deps.shared.rateLimiter.consume(
      `credential-revocations:${clientNetworkKey(request.ip)}`, CREDENTIAL_REVOCATIONS_PER_HOUR, now,
    );
    setRateLimitHeaders(reply, state);
    reply.header('X-RateLimit-Resource', 'credential_revocations');
    if (state.exceeded) {
      reply.header('Retry-After', Math.max(1, Math.ceil((state.resetAt.getTime() - now.getTime()) / 1000)));
      return sendValidationFailure(reply, `API rate limit exceeded for ${request.ip}: at most ${CREDENTIAL_REVOCATIONS_PER_HOUR} requests an hour.`);
    }

    const parsed = parseRevocationRequest(request.body);
    if (!parsed.ok) return sendValidationFailure(reply, describeProblem(parsed.problem));
    const revoked = await revokeLeakedTokens(deps, parsed.credentials, requestChangeContext(request, 'anonymous'));
    const unsent = await mailLeakedTokenOwners(deps, revoked);
    // Counts only: the log never names a token's note or owner from an anonymous report.
    request.log.info({ revoked: revoked.length, unsentMails: unsent }, 'leaked credentials revoked');
    return reply.code(202).send({});
  });
}
