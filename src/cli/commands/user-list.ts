/**
 * `tessera user list`: one line per user, written a page at a time as it is read (keyset pages by id), so a listing
 * of a million users starts at once and holds one page in memory. Columns are lined up from two aggregates read
 * first. `--limit` and `--after` page through by hand; the command says how to get the next page.
 */
import type { Command } from 'commander';
import { listUsers } from '../../domain/account-admin.ts';
import { holdsEmailAddress } from '../../domain/email-address.ts';
import type { UserRow } from '../../store/database.ts';
import { findUserListWidths, type UserListFilter } from '../../store/user-store.ts';
import { CliError } from '../cli-error.ts';
import { DATA_OPTION, type DataOptions, withStore } from '../store-session.ts';

const PAGE_ROWS = 500;
const FILTERS: readonly UserListFilter[] = ['all', 'verified', 'unverified', 'suspended'];

interface UserListOptions extends DataOptions {
  state: string;
  limit?: string;
  after?: string;
}

function wholeNumber(value: string | undefined, option: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,15}$/.test(value)) throw new CliError(`${option} takes a whole number, not "${value}".`);
  return Number(value);
}

function stateOf(user: UserRow): string {
  if (user.suspended_at !== null) return 'suspended';
  return user.email_verified_at !== null ? 'verified' : 'unverified';
}

export function registerUserListCommand(user: Command): void {
  user.command('list')
    .description('List users by id: username, state, creation date and email address')
    .option('--state <state>', `only users in this state: ${FILTERS.join(', ')}`, 'all')
    .option('--limit <n>', 'at most this many users (default: all)')
    .option('--after <id>', 'start after this user id (the next page of an earlier --limit)')
    .option(...DATA_OPTION)
    .action(async (options: UserListOptions) => {
      if (!(FILTERS as readonly string[]).includes(options.state)) throw new CliError(`--state takes one of ${FILTERS.join(', ')}, not "${options.state}".`);
      const filter = options.state as UserListFilter;
      const limit = wholeNumber(options.limit, '--limit', Number.MAX_SAFE_INTEGER);
      if (limit === 0) throw new CliError('--limit must be at least 1.');
      let afterId = wholeNumber(options.after, '--after', 0);
      await withStore(options, async (deps) => {
        const widths = await findUserListWidths(deps.db);
        const idWidth = Math.max(2, String(widths.maxId).length);
        const nameWidth = Math.max(8, widths.maxUsernameLength);
        const line = (cells: [string, string, string, string, string]) => `${cells[0].padStart(idWidth)}  ${cells[1].padEnd(nameWidth)}  ${cells[2].padEnd(10)}  ${cells[3].padEnd(10)}  ${cells[4]}`;
        let listed = 0;
        let more = false;
        for (;;) {
          const want = Math.min(PAGE_ROWS, limit - listed);
          const page = await listUsers(deps, { afterId, limit: want, filter });
          if (listed === 0 && page.length > 0) process.stdout.write(`${line(['ID', 'USERNAME', 'STATE', 'CREATED', 'EMAIL'])}\n`);
          process.stdout.write(page.map((row) => `${line([
            String(row.id), row.username, stateOf(row), row.created_at.slice(0, 10), holdsEmailAddress(row) ? row.email : `${row.email} (not held)`,
          ])}\n`).join(''));
          listed += page.length;
          if (page.length > 0) afterId = page.at(-1)!.id;
          if (page.length < want) break;
          if (listed === limit) {
            more = (await listUsers(deps, { afterId, limit: 1, filter })).length > 0;
            break;
          }
        }
        if (listed === 0) return void console.error(filter === 'all' ? 'There are no users yet. Create one with: tessera user create …' : `No ${filter} users.`);
        const next = more ? ` More follow: tessera user list --after ${afterId}${options.limit ? ` --limit ${limit}` : ''}${filter === 'all' ? '' : ` --state ${filter}`}` : '';
        console.error(`${listed.toLocaleString('en')} ${listed === 1 ? 'user' : 'users'} listed.${next}`);
      });
    });
}
