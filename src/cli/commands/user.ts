import type { Command } from 'commander';
import { signUp } from '../../domain/accounts.ts';
import { describeSignUpProblems } from '../../http/web/account-sentences.ts';
import { translatorFor } from '../../i18n/translator.ts';
import { CliError } from '../cli-error.ts';
import { readSecret } from '../read-secret.ts';
import { DATA_OPTION, type DataOptions, withStore } from '../store-session.ts';
import { registerUserListCommand } from './user-list.ts';
import { registerUserSetPasswordCommand } from './user-set-password.ts';
import { registerUserSuspendCommands } from './user-suspend.ts';
import { registerUserVerifyCommand } from './user-verify.ts';

interface UserCreateOptions extends DataOptions {
  username: string;
  email: string;
  verified?: boolean;
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('Manage user accounts');
  user.command('create')
    .description('Create a user account (mails a verification link unless --verified); the password is read from standard input')
    .requiredOption('--username <name>', 'username')
    .requiredOption('--email <address>', 'email address')
    .option('--verified', 'mark the email address as verified')
    .option(...DATA_OPTION)
    .addHelpText('after', `
The password is read from standard input, never from an argument (arguments show in \`ps\` and shell history):
typed twice without echo on a terminal, or the first line of a pipe:
  printf '%s\\n' "$PASSWORD" | tessera user create --username mona --email mona@example.com`)
    .action(async (options: UserCreateOptions) => {
      // Read before the store opens: a typo in --data should not cost typing the password twice.
      const password = await readSecret('Password');
      await withStore(options, async (deps) => {
        // An administrator is told that an address is taken: the page's secrecy protects accounts from strangers.
        const result = await signUp(deps, { ...options, password }, { verified: options.verified ?? false, whenEmailTaken: 'refuse' });
        if (!result.ok) {
          // Each field error names the option to change (--username, --email), or the password to choose.
          const errors = describeSignUpProblems(translatorFor('en').t, result.problems, options.username);
          throw new CliError(Object.entries(errors).map(([field, message]) =>
            `${message} ${field === 'password' ? 'Pipe in another password' : `Change --${field}`} and try again.`).join(' '));
        }
        const state = options.verified ? 'verified' : 'verification link sent';
        console.log(`Created user ${result.user.username} <${result.user.email}> (${state}).`);
      });
    });
  registerUserListCommand(user);
  registerUserVerifyCommand(user);
  registerUserSetPasswordCommand(user);
  registerUserSuspendCommands(user);
}
