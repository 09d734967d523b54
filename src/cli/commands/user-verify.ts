import type { Command } from 'commander';
import { verifyEmailAsAdmin } from '../../domain/account-admin.ts';
import { CliError } from '../cli-error.ts';
import { DATA_OPTION, type DataOptions, requireUser, withStore } from '../store-session.ts';

export function registerUserVerifyCommand(user: Command): void {
  user.command('verify')
    .description('Mark a user\'s email address as verified, as if they had opened the link')
    .requiredOption('--username <name>', 'the user')
    .option(...DATA_OPTION)
    .action(async (options: DataOptions & { username: string }) => {
      await withStore(options, async (deps) => {
        const account = await requireUser(deps, options.username);
        const result = await verifyEmailAsAdmin(deps, account);
        if (result.ok) return void console.log(`Verified ${account.username}'s email address ${account.email}.`);
        if (result.code === 'already_verified') return void console.log(`${account.username}'s email address ${account.email} is already verified.`);
        throw new CliError(`${account.email} belongs to the account ${result.holder}, so ${account.username} cannot have it. `
          + `${account.username} can choose another address on the account settings page (/settings/account).`);
      });
    });
}
