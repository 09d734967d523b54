import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { isEmailVerified } from '../../domain/accounts.ts';
import { SCOPE_TREE } from '../../domain/scopes.ts';
import {
  DEFAULT_EXPIRATION_DAYS, EXPIRATION_DAY_CHOICES, type ExpirationChoice, type ExpirationProblem, resolveExpiration,
} from '../../domain/token-expiration.ts';
import {
  createPersonalAccessToken, deletePersonalAccessToken, findPersonalAccessToken, isAllowedToCreateTokens, isTokenExpired,
  listPersonalAccessTokens, type PersonalAccessToken, regeneratePersonalAccessToken,
} from '../../domain/tokens.ts';
import type { FieldErrors } from '../../domain/deps.ts';
import { lastUsedBucket } from '../../domain/last-used-bucket.ts';
import { requireWebUser } from '../plugins/web-session.ts';
import { pageChangeContext, requestChangeContext } from '../change-context.ts';
import { field, fieldList } from './form.ts';
import { listRestorableTokens } from '../../domain/token-restore.ts';
import { registerRemovedTokenPages } from './removed-token-pages.ts';
import { isTokenAuthorizationRequired } from '../../domain/sso/sso-standing.ts';
import { listSamlOrganizationsOfUser } from '../../domain/sso/token-sso.ts';
import { idpFormActions } from './sso/sso-pages-common.ts';
import { renderPage } from './render.ts';
import { noticeText, pageText } from './page-locale.ts';
import { describeDisusePolicy, describeExpirationProblem, describeLastUse, describeScope, describeTokenProblems } from './token-sentences.ts';
import { TOKEN_HELP_PATH, TOKEN_HELP_SECTIONS } from '../token-help-links.ts';
import { disuseWarningDays } from '../../jobs/disuse-sweep.ts';
import { formBody, keyOf, pageQuery, TEXT, TEXT_LIST } from './web-input.ts';

/** The notices other pages' actions lead back here with (?notice=…), each a key of tokens.json. */
const NOTICES: Record<string, string> = {
  deleted: 'tokens:notices.deleted',
  restored: 'tokens:notices.restored',
  'restore-expired': 'tokens:notices.restoreExpired',
  'verification-sent': 'tokens:notices.verificationSent',
  'notifications-saved': 'tokens:notices.notificationsSaved',
  'sso-authorized': 'tokens:notices.ssoAuthorized',
  'verification-too-soon': 'tokens:notices.verificationTooSoon',
};

function expirationChoiceOf(body: unknown): ExpirationChoice {
  const expiration = field(body, 'expiration');
  if (expiration === 'none') return { kind: 'none' };
  if (expiration === 'custom') return { kind: 'date', date: field(body, 'expiration_date') };
  return { kind: 'days', days: expiration === '' ? DEFAULT_EXPIRATION_DAYS : Number(expiration) };
}

export const tokenIdParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1, maximum: 2 ** 31 - 1 } },
  required: ['id'],
} as const;

export function registerTokenPages(app: FastifyInstance, deps: AppDeps): void {
  registerRemovedTokenPages(app, deps);
  const csrf = { preHandler: app.csrfProtection };
  const expirationFields = { expiration: TEXT, expiration_date: TEXT };
  const expirationFieldData = { expirationDays: EXPIRATION_DAY_CHOICES, defaultExpiration: DEFAULT_EXPIRATION_DAYS };

  function renderNewTokenForm(reply: FastifyReply, values: Record<string, string>, selected: string[], errors: FieldErrors) {
    const { t } = pageText(reply.request);
    return renderPage(reply, 'token-new', {
      title: t('tokens:new.title'), values, selected, errors, scopeTree: SCOPE_TREE, ...expirationFieldData,
      describeScope: (name: string) => describeScope(t, name), helpPath: TOKEN_HELP_PATH, helpSections: TOKEN_HELP_SECTIONS,
    });
  }

  function renderRegenerateForm(reply: FastifyReply, token: PersonalAccessToken, values: Record<string, string>, errors: FieldErrors) {
    const { t } = pageText(reply.request);
    return renderPage(reply, 'token-regenerate', { title: t('tokens:regenerate.title'), token, values, errors, ...expirationFieldData });
  }

  const expirationError = (reply: FastifyReply, problem: ExpirationProblem) => ({ expiration: describeExpirationProblem(pageText(reply.request).t, problem) });

  app.get<{ Querystring: { notice?: string } }>('/settings/tokens', { schema: { querystring: pageQuery({ notice: keyOf(NOTICES) }) } }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const now = deps.clock.now();
    const newTokens = request.webSessionSecret ? await deps.newTokenFlash.take(request.webSessionSecret, now) : [];
    // Configure SSO only where organizations may require tokens to be authorized (src/domain/editions.ts); its forms
    // may lead through each organization's IdP.
    const ssoOrganizations = isTokenAuthorizationRequired(deps) ? await listSamlOrganizationsOfUser(deps, user) : [];
    const { locale, t } = pageText(request);
    return renderPage(reply, 'tokens', {
      title: t('tokens:list.title'),
      tokens: await listPersonalAccessTokens(deps, user),
      removedTokens: await listRestorableTokens(deps, user),
      ssoOrganizations,
      unusedTokenDays: deps.config.unusedTokenDays,
      disusePolicy: describeDisusePolicy(t, locale, deps.config.unusedTokenDays, disuseWarningDays(deps.config.unusedTokenDays)),
      newTokens,
      notice: noticeText(t, NOTICES, request.query.notice),
      notifyNewNetwork: user.notify_new_token_network === 1,
      lastUsed: (token: PersonalAccessToken) => describeLastUse(t, lastUsedBucket(token.lastUsedAt, now)),
      emailVerified: isEmailVerified(user),
      mayCreateTokens: isAllowedToCreateTokens(deps, user),
      helpPath: TOKEN_HELP_PATH,
      helpSections: TOKEN_HELP_SECTIONS,
      // The last day a token works: a custom date's token expires at the end of that day (midnight UTC after it),
      // so the list shows the day the person picked, not the day after.
      lastDayOf: (expiresAt: Date) => new Date(expiresAt.getTime() - 1),
      isExpired: (token: PersonalAccessToken) => isTokenExpired(token, now),
    }, ssoOrganizations.flatMap((organization) => idpFormActions(organization.idpSsoUrl)));
  });

  app.get('/settings/tokens/new', async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    if (!isAllowedToCreateTokens(deps, user)) return reply.redirect('/settings/tokens');
    return renderNewTokenForm(reply, {}, [], {});
  });

  app.post('/settings/tokens', { ...csrf, schema: { body: formBody({ note: TEXT, scopes: TEXT_LIST, ...expirationFields }) } }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const values = { note: field(request.body, 'note'), expiration: field(request.body, 'expiration'), expiration_date: field(request.body, 'expiration_date') };
    const scopes = fieldList(request.body, 'scopes');
    const expiration = resolveExpiration(expirationChoiceOf(request.body), deps.clock.now());
    if (!expiration.ok) return renderNewTokenForm(reply.code(422), values, scopes, expirationError(reply, expiration.error));
    const result = await createPersonalAccessToken(deps, user, { note: values.note, scopes, expiresAt: expiration.expiresAt }, pageChangeContext(request));
    if (!result.ok) {
      if (result.reason === 'email_unverified') return reply.redirect('/settings/tokens');
      return renderNewTokenForm(reply.code(422), values, scopes, describeTokenProblems(pageText(request).t, result.errors));
    }
    await deps.newTokenFlash.put(request.webSessionSecret!, { tokenId: result.token.id, secret: result.secret }, deps.clock.now());
    return reply.redirect('/settings/tokens');
  });

  app.post<{ Params: { id: number } }>('/settings/tokens/:id/delete', { ...csrf, schema: { params: tokenIdParams, body: formBody() } }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    await deletePersonalAccessToken(deps, user, request.params.id, requestChangeContext(request));
    return reply.redirect('/settings/tokens?notice=deleted');
  });

  app.get<{ Params: { id: number } }>('/settings/tokens/:id/regenerate', { schema: { params: tokenIdParams } }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const token = await findPersonalAccessToken(deps, user, request.params.id);
    if (!token) return reply.callNotFound();
    return renderRegenerateForm(reply, token, {}, {});
  });

  app.post<{ Params: { id: number } }>('/settings/tokens/:id/regenerate', { ...csrf, schema: { params: tokenIdParams, body: formBody(expirationFields) } }, async (request, reply) => {
    const user = requireWebUser(request, reply);
    if (!user) return reply;
    const token = await findPersonalAccessToken(deps, user, request.params.id);
    if (!token) return reply.callNotFound();
    const values = { expiration: field(request.body, 'expiration'), expiration_date: field(request.body, 'expiration_date') };
    const expiration = resolveExpiration(expirationChoiceOf(request.body), deps.clock.now());
    if (!expiration.ok) return renderRegenerateForm(reply.code(422), token, values, expirationError(reply, expiration.error));
    const result = await regeneratePersonalAccessToken(deps, user, token.id, expiration.expiresAt, pageChangeContext(request));
    if (!result.ok) return reply.redirect('/settings/tokens');
    await deps.newTokenFlash.put(request.webSessionSecret!, { tokenId: result.token.id, secret: result.secret }, deps.clock.now());
    return reply.redirect('/settings/tokens');
  });
}
