import type { Command } from 'commander';
import { setUserSuspended } from '../../domain/account-admin.ts';
import { DATA_OPTION, type DataOptions, requireUser, withStore } from '../store-session.ts';

export function registerUserSuspendCommands(user: Command): void {
  user.command('suspend')
    .description('Suspend a user: their tokens stop working at once on every server, their browsers are signed out, and they cannot sign in')
    .requiredOption('--username <name>', 'the user')
    .option(...DATA_OPTION)
    .action(async (options: DataOptions & { username: string }) => {
      await withStore(options, async (deps) => {
        const account = await requireUser(deps, options.username);
        const result = await setUserSuspended(deps, account, true);
        if (!result.changed) {
          return void console.log(`${account.username} is already suspended (since ${account.suspended_at}). Lift it with: tessera user unsuspend --username ${account.username}`);
        }
        const ended = result.sessionsEnded === 1 ? '1 browser session was' : `${result.sessionsEnded} browser sessions were`;
        console.log(`Suspended ${account.username}: their personal access tokens stop working and ${ended} signed out. `
          + `Lift it with: tessera user unsuspend --username ${account.username}`);
      });
    });

  user.command('unsuspend')
    .description('Lift a suspension: the user\'s tokens work again and they can sign in')
    .requiredOption('--username <name>', 'the user')
    .option(...DATA_OPTION)
    .action(async (options: DataOptions & { username: string }) => {
      await withStore(options, async (deps) => {
        const account = await requireUser(deps, options.username);
        const result = await setUserSuspended(deps, account, false);
        console.log(result.changed
          ? `Lifted the suspension of ${account.username}: their tokens work again and they can sign in.`
          : `${account.username} is not suspended.`);
      });
    });
}
