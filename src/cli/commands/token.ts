import { ADMIN_CONTEXT } from '../../domain/security-log.ts';
import type { Command } from 'commander';
import { ALL_SCOPES } from '../../domain/scopes.ts';
import { type ExpirationChoice, parseExpiresIn, resolveExpiration } from '../../domain/token-expiration.ts';
import {
  createPersonalAccessToken, isTokenExpired, listPersonalAccessTokens, revokePersonalAccessTokenByNote, type TokenFieldProblems,
} from '../../domain/tokens.ts';
import { describeExpirationProblem, describeTokenProblems } from '../../http/web/token-sentences.ts';
import { translatorFor } from '../../i18n/translator.ts';
import { CliError } from '../cli-error.ts';
import { printTable } from '../table.ts';
import { DATA_OPTION, type DataOptions, requireUser, withStore } from '../store-session.ts';

interface TokenCreateOptions extends DataOptions {
  user: string;
  note: string;
  scopes: string;
  expiresIn?: string;
  expiresAt?: string;
  expiry: boolean;
}

function expirationChoice(options: TokenCreateOptions): ExpirationChoice {
  const given = [options.expiresIn, options.expiresAt, options.expiry ? undefined : 'none'].filter((x) => x !== undefined);
  if (given.length > 1) throw new CliError('Give at most one of --expires-in, --expires-at and --no-expiry.');
  if (!options.expiry) return { kind: 'none' };
  if (options.expiresAt) return { kind: 'date', date: options.expiresAt };
  const choice = parseExpiresIn(options.expiresIn ?? '30d');
  if (!choice) throw new CliError(`--expires-in takes a number of days such as 30d, not "${options.expiresIn}".`);
  return choice;
}

/** The command line speaks English, in the words of the web form's English errors. */
const { t: english } = translatorFor('en');

/** The domain's field errors, each followed by what to do about it on the command line. */
function createErrorMessage(problems: TokenFieldProblems, username: string, note: string): string {
  const errors = describeTokenProblems(english, problems);
  const advice: Record<string, string> = {
    note: problems.note === 'taken'
      ? `Choose another --note, or revoke the existing token first: tessera token revoke --user ${username} --note "${note.trim()}"`
      : 'Give a --note of 1 to 255 characters.',
    scopes: `Valid --scopes (comma-separated): ${ALL_SCOPES.join(',')}`,
    expiration: 'Choose a later --expires-at or a number of days with --expires-in.',
  };
  return Object.entries(errors).map(([field, message]) => `${message} ${advice[field] ?? ''}`.trim()).join(' ');
}

function formatTime(date: Date | null, none: string): string {
  return date ? date.toISOString().slice(0, 16).replace('T', ' ') : none;
}

export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('Manage personal access tokens');

  token.command('create')
    .description('Create a token and print it alone on stdout (it is shown only this once)')
    .requiredOption('--user <username>', 'owner of the token')
    .requiredOption('--note <note>', 'what the token is for (unique per user)')
    .option('--scopes <list>', 'comma-separated scopes, e.g. repo,read:org', '')
    .option('--expires-in <days>', 'lifetime such as 30d (default 30d)')
    .option('--expires-at <date>', 'last day the token works, YYYY-MM-DD (UTC)')
    .option('--no-expiry', 'the token never expires')
    .option(...DATA_OPTION)
    .action(async (options: TokenCreateOptions) => {
      await withStore(options, async (deps) => {
        const user = await requireUser(deps, options.user);
        const expiration = resolveExpiration(expirationChoice(options), deps.clock.now());
        if (!expiration.ok) throw new CliError(describeExpirationProblem(english, expiration.error));
        const result = await createPersonalAccessToken(deps, user, {
          note: options.note, scopes: options.scopes.split(','), expiresAt: expiration.expiresAt,
        }, ADMIN_CONTEXT);
        if (!result.ok) {
          throw new CliError(result.reason === 'email_unverified'
            ? `${user.username} has not verified their email address; tokens need a verified address (or create the user with --verified).`
            : createErrorMessage(result.errors, user.username, options.note));
        }
        process.stdout.write(`${result.secret}\n`);
      });
    });

  token.command('list')
    .description('List a user\'s tokens (never their secrets)')
    .requiredOption('--user <username>', 'owner of the tokens')
    .option(...DATA_OPTION)
    .action(async (options: DataOptions & { user: string }) => {
      await withStore(options, async (deps) => {
        const tokens = await listPersonalAccessTokens(deps, await requireUser(deps, options.user));
        if (tokens.length === 0) return void console.log(`${options.user} has no tokens.`);
        const now = deps.clock.now();
        const rows = [['ID', 'NOTE', 'SCOPES', 'CREATED', 'LAST USED', 'EXPIRES'], ...tokens.map((t) => [
          String(t.id), t.note, t.scopes.join(',') || '-', formatTime(t.createdAt, '-'), formatTime(t.lastUsedAt, 'never'),
          isTokenExpired(t, now) ? `expired ${formatTime(t.expiresAt, '')}` : formatTime(t.expiresAt, 'never'),
        ])];
        printTable(rows);
      });
    });

  token.command('revoke')
    .description('Delete a token by its note; it stops working at once')
    .requiredOption('--user <username>', 'owner of the token')
    .requiredOption('--note <note>', 'note of the token to revoke')
    .option(...DATA_OPTION)
    .action(async (options: DataOptions & { user: string; note: string }) => {
      await withStore(options, async (deps) => {
        const user = await requireUser(deps, options.user);
        if (!(await revokePersonalAccessTokenByNote(deps, user, options.note, ADMIN_CONTEXT))) {
          throw new CliError(`${user.username} has no token with the note "${options.note}". See: tessera token list --user ${user.username}`);
        }
        console.log(`Revoked the token "${options.note}" of ${user.username}.`);
      });
    });
}
