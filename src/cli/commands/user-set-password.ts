import type { Command } from 'commander';
import { setPasswordAsAdmin } from '../../domain/account-admin.ts';
import { describePasswordProblem } from '../../http/web/account-sentences.ts';
import { translatorFor } from '../../i18n/translator.ts';
import { CliError } from '../cli-error.ts';
import { readSecret } from '../read-secret.ts';
import { DATA_OPTION, type DataOptions, requireUser, withStore } from '../store-session.ts';

const HELP_AFTER = `
The password is read from standard input, never from an argument (arguments show in \`ps\` and shell history):
typed twice without echo on a terminal, or the first line of a pipe. Every browser signed in as the user is signed
out; their personal access tokens keep working.

Example:
  printf '%s\\n' "$NEW_PASSWORD" | tessera user set-password --username mona
`;

export function registerUserSetPasswordCommand(user: Command): void {
  user.command('set-password')
    .description('Set a user\'s password, read from standard input')
    .requiredOption('--username <name>', 'the user')
    .option(...DATA_OPTION)
    .addHelpText('after', HELP_AFTER)
    .action(async (options: DataOptions & { username: string }) => {
      // Read before the store opens: a typo in --data should not cost typing the password twice.
      const password = await readSecret('New password');
      await withStore(options, async (deps) => {
        const account = await requireUser(deps, options.username);
        const result = await setPasswordAsAdmin(deps, account, password);
        if (!result.ok) throw new CliError(`${describePasswordProblem(translatorFor('en').t, result.verdict)} Choose another and run the command again.`);
        const ended = result.sessionsEnded === 1 ? '1 browser session was' : `${result.sessionsEnded} browser sessions were`;
        console.log(`Set a new password for ${account.username}; ${ended} signed out.`);
      });
    });
}
