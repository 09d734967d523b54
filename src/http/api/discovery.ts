/**
 * What clients call first: the root document (`GET /api/v3/`, whose X-OAuth-Scopes `gh auth login` reads, so it
 * passes through the same authentication hook as every route), `GET /meta`, `GET /versions`, `GET /zen` and
 * `GET /octocat`. None needs a credential, as on GitHub.
 */
import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.ts';
import { API_PREFIX } from './github-json.ts';

/** The dated REST API versions Tessera answers in (X-GitHub-Api-Version); the last is the newest. */
export const SUPPORTED_API_VERSIONS = ['2022-11-28'] as const;

const TESSERA_VERSION = (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** GitHub's design principles, one a call, as GitHub's own /zen answers. */
const ZEN = [
  'Responsive is better than fast.', 'It\'s not fully shipped until it\'s fast.', 'Anything added dilutes everything else.',
  'Practicality beats purity.', 'Approachable is better than simple.', 'Mind your words, they are important.',
  'Speak like a human.', 'Half measures are as bad as nothing at all.', 'Encourage flow.', 'Non-blocking is better than blocking.',
  'Favor focus over features.', 'Avoid administrative distraction.', 'Design for failure.', 'Keep it logically awesome.',
];

const OCTOCAT = String.raw`
               MMM.           .MMM
               MMMMMMMMMMMMMMMMMMM
               MMMMMMMMMMMMMMMMMMM      ____________________________
              MMMMMMMMMMMMMMMMMMMMM    |                            |
             MMMMMMMMMMMMMMMMMMMMMMM   | SAYING                     |
            MMMMMMMMMMMMMMMMMMMMMMMM   |_   ________________________|
            MMMM::- -:::::::- -::MMMM    |/
             MM~:~ 00~:::::~ 00~:~MM
        .. MMMMM::.00:::+:::.00::MMMMM ..
              .MM::::: ._. :::::MM.
                 MMMM;:::::;MMMM
          -MM        MMMMMMM
          ^  M+     MMMMMMMMM
              MMMMMMM MM MM MM
                   MM MM MM MM
                   MM MM MM MM
                .~~MM~MM~MM~MM~~.
             ~~~~MM:~MM~~~MM~:MM~~~~
            ~~~~~~==~==~~~==~==~~~~~~
             ~~~~~~==~==~==~==~~~~~~
                 :~==~==~==~==~~
`;

function rootDocument(baseUrl: string) {
  const api = `${baseUrl}${API_PREFIX}`;
  return {
    current_user_url: `${api}/user`,
    current_user_authorizations_html_url: `${baseUrl}/settings/tokens`,
    authorizations_url: `${api}/authorizations`,
    code_search_url: `${api}/search/code?q={query}{&page,per_page,sort,order}`,
    commit_search_url: `${api}/search/commits?q={query}{&page,per_page,sort,order}`,
    emails_url: `${api}/user/emails`,
    emojis_url: `${api}/emojis`,
    events_url: `${api}/events`,
    feeds_url: `${api}/feeds`,
    followers_url: `${api}/user/followers`,
    following_url: `${api}/user/following{/target}`,
    gists_url: `${api}/gists{/gist_id}`,
    hub_url: `${api}/hub`,
    issue_search_url: `${api}/search/issues?q={query}{&page,per_page,sort,order}`,
    issues_url: `${api}/issues`,
    keys_url: `${api}/user/keys`,
    label_search_url: `${api}/search/labels?q={query}&repository_id={repository_id}{&page,per_page}`,
    notifications_url: `${api}/notifications`,
    organization_url: `${api}/orgs/{org}`,
    organization_repositories_url: `${api}/orgs/{org}/repos{?type,page,per_page,sort}`,
    organization_teams_url: `${api}/orgs/{org}/teams`,
    public_gists_url: `${api}/gists/public`,
    rate_limit_url: `${api}/rate_limit`,
    repository_url: `${api}/repos/{owner}/{repo}`,
    repository_search_url: `${api}/search/repositories?q={query}{&page,per_page,sort,order}`,
    current_user_repositories_url: `${api}/user/repos{?type,page,per_page,sort}`,
    starred_url: `${api}/user/starred{/owner}{/repo}`,
    starred_gists_url: `${api}/gists/starred`,
    topic_search_url: `${api}/search/topics?q={query}{&page,per_page}`,
    user_url: `${api}/users/{user}`,
    user_organizations_url: `${api}/user/orgs`,
    user_repositories_url: `${api}/users/{user}/repos{?type,page,per_page,sort}`,
    user_search_url: `${api}/search/users?q={query}{&page,per_page,sort,order}`,
  };
}

export function registerDiscoveryRoutes(app: FastifyInstance, deps: AppDeps): void {
  // Both spellings: gh asks for `/api/v3/`, Octokit with a baseUrl of `/api/v3` for `/api/v3`.
  app.get('/', async () => rootDocument(deps.config.baseUrl));

  app.get('/meta', async () => ({
    verifiable_password_authentication: false,
    installed_version: TESSERA_VERSION,
  }));

  app.get('/versions', async () => [...SUPPORTED_API_VERSIONS]);

  app.get('/zen', async (_request, reply) => {
    const sentence = ZEN[Math.floor(Math.random() * ZEN.length)]!;
    return reply.type('text/plain; charset=utf-8').send(sentence);
  });

  app.get<{ Querystring: { s?: string } }>('/octocat', {
    schema: { querystring: { type: 'object', properties: { s: { type: 'string', maxLength: 200 } } } },
  }, async (request, reply) => {
    const saying = (request.query.s ?? 'Design for failure.').replace(/[^\x20-\x7e]/g, '?');
    return reply.type('application/octocat-stream').send(OCTOCAT.replace('SAYING                    ', saying.padEnd(26)));
  });
}
