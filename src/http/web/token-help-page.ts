/**
 * `GET /help/personal-access-tokens`: "Creating a personal access token", rendered for the running edition and in the
 * page's language (src/i18n/locales/<language>/help.json). What the edition decides (a verified email first, removal
 * of unused tokens, SAML authorization for organizations) appears only where it is true, scope list included, with the
 * numbers this install really uses. Section anchors are the same in every language: API errors link to them.
 */
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { EMAIL_VERIFICATION_LIFETIME_MS, VERIFICATION_RESEND_INTERVAL_MS } from '../../domain/email-verification.ts';
import type { Edition } from '../../domain/editions.ts';
import { ALL_SCOPES, scopesGranting } from '../../domain/scopes.ts';
import { DEFAULT_EXPIRATION_DAYS, EXPIRATION_DAY_CHOICES } from '../../domain/token-expiration.ts';
import { RESTORE_WINDOW_DAYS } from '../../domain/token-restore.ts';
import { TOKEN_PREFIX } from '../../domain/token-format.ts';
import { disuseWarningDays } from '../../jobs/disuse-sweep.ts';
import { EXPIRY_REMINDER_DAYS } from '../../jobs/expiry-reminders.ts';
import { API_PREFIX } from '../api/github-json.ts';
import { API_DOCS_PATH } from '../api/operation-docs.ts';
import { scopeHelpAnchor, TOKEN_HELP_PATH, TOKEN_HELP_SECTIONS } from '../token-help-links.ts';
import { describeDayList, describeScope } from './token-sentences.ts';
import type { Translator } from '../../i18n/translator.ts';
import { pageText } from './page-locale.ts';
import { renderPage } from './render.ts';
import { type ScopeUse, scopeUses } from './scope-uses.ts';

const MINUTE_MS = 60 * 1000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * What routes do not declare: Git's rules (src/domain/git-access.ts) and what the API and GraphQL show of private
 * repositories and email addresses (src/domain/repositories.ts, src/http/graphql/users.ts). Keys of `help:scopes.notes`.
 */
const SCOPE_NOTES: Readonly<Record<string, readonly string[]>> = {
  repo: ['repoGit', 'repoApi'],
  public_repo: ['publicRepoGit'],
  'user:email': ['userEmailGraphql'],
};

/**
 * Every scope in the settings page's order, with what it opens in Tessera and the scopes above it that grant it, in
 * the page's language. Operations on SAML authorizations of tokens are named only where the edition has them.
 */
function scopeEntries({ t, html }: Translator, uses: Map<string, ScopeUse[]>, edition: Edition) {
  return ALL_SCOPES.map((name) => ({
    name,
    description: describeScope(t, name),
    grantedBy: scopesGranting(name).slice(1),
    notes: (SCOPE_NOTES[name] ?? []).map((note) => html(`help:scopes.notes.${note}`)),
    uses: (uses.get(name) ?? [])
      .filter((use) => edition.samlTokenAuthorization || !use.aboutSamlTokenAuthorization)
      .map((use) => ({ href: use.href, title: t(`apidocs:operations.${use.anchor}.title`) })),
  }));
}

/** At the root: API, GraphQL and Git errors read `tokenHelpUrl`, not only pages. */
export function registerTokenHelpUrl(app: FastifyInstance, deps: AppDeps): void {
  app.decorate('tokenHelpUrl', { getter: () => `${deps.config.baseUrl}${TOKEN_HELP_PATH}` });
}

export function registerTokenHelpPage(app: FastifyInstance, deps: AppDeps): void {
  app.get(TOKEN_HELP_PATH, async (request, reply) => {
    const base = new URL(deps.config.baseUrl);
    const words = pageText(request);
    const warningDays = disuseWarningDays(deps.config.unusedTokenDays);
    return renderPage(reply, 'help-tokens', {
      title: words.t('help:title'),
      edition: deps.config.edition,
      sections: TOKEN_HELP_SECTIONS,
      host: base.host,
      hostname: base.hostname,
      hostHasPort: base.port !== '',
      protocol: base.protocol.replace(':', ''),
      origin: base.origin,
      verificationHours: EMAIL_VERIFICATION_LIFETIME_MS / HOUR_MS,
      resendMinutes: VERIFICATION_RESEND_INTERVAL_MS / MINUTE_MS,
      apiUrl: `${deps.config.baseUrl}${API_PREFIX}`,
      apiDocsPath: API_DOCS_PATH,
      tokenPrefix: TOKEN_PREFIX,
      expirationDays: EXPIRATION_DAY_CHOICES,
      defaultExpiration: DEFAULT_EXPIRATION_DAYS,
      reminderDays: EXPIRY_REMINDER_DAYS,
      unusedTokenDays: deps.config.unusedTokenDays,
      // "30 and 7 days" before removal; none when no warning is mailed.
      warningDaysText: warningDays.length > 0 ? describeDayList(words.t, words.locale, warningDays) : undefined,
      restoreWindowDays: RESTORE_WINDOW_DAYS,
      failedAuthenticationsPerHour: deps.rateLimits.failedAuthenticationsPerHour,
      scopes: scopeEntries(words, scopeUses(app.registeredRoutes), deps.config.edition),
      scopeAnchor: scopeHelpAnchor,
    });
  });
}
