import type { Command } from 'commander';
import { signUp } from '../../domain/accounts.ts';
import { describeSignUpProblems } from '../../http/web/account-sentences.ts';
import { translatorFor } from '../../i18n/translator.ts';
import { CliError } from '../cli-error.ts';
import { DATA_OPTION, type DataOptions, withStore } from '../store-session.ts';
import { registerUserListCommand } from './user-list.ts';
import { registerUserSetPasswordCommand } from './user-set-password.ts';
import { registerUserSuspendCommands } from './user-suspend.ts';
import { registerUserVerifyCommand } from './user-verify.ts';

interface UserCreateOptions extends DataOptions {
  username: string;
  email: string;
  password: string;
  verified?: boolean;
}

export function registerUserCommands(program: Command): void {
  const user = program.command('user').description('Manage user accounts');
  user.command('create')
    .description('Create a user account (mails a verification link unless --verified)')
    .requiredOption('--username <name>', 'username')
    .requiredOption('--email <address>', 'email address')
    .requiredOption('--password <password>', 'password (at least 8 characters, hard to guess)')
    .option('--verified', 'mark the email address as verified')
    .option(...DATA_OPTION)
    .action(async (options: UserCreateOptions) => {
      await withStore(options, async (deps) => {
        // An administrator is told that an address is taken: the page's secrecy protects accounts from strangers.
        const result = await signUp(deps, options, { verified: options.verified ?? false, whenEmailTaken: 'refuse' });
        if (!result.ok) {
          // Each field error names the option to change (--username, --email, --password).
          const errors = describeSignUpProblems(translatorFor('en').t, result.problems, options.username);
          throw new CliError(Object.entries(errors).map(([field, message]) => `${message} Change --${field} and try again.`).join(' '));
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
