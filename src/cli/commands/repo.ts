import type { Command } from 'commander';
import { findRepositoryFor } from '../../domain/repository-access.ts';
import { findOwner } from '../../domain/owners.ts';
import { createRepository, type CreateRepositoryResult, deleteRepository } from '../../domain/repositories.ts';
import { listRepositoriesToMaintain } from '../../domain/repository-lifecycle.ts';
import { maintainRepository } from '../../git/repository-maintenance.ts';
import { repositoryProblemSentence } from '../../i18n/english-field-errors.ts';
import { CliError } from '../cli-error.ts';
import { adminPrincipal, DATA_OPTION, type DataOptions, withStore } from '../store-session.ts';

/** The domain's refusal, and what to do about it on the command line. */
function creationRefusal(refusal: Exclude<CreateRepositoryResult, { ok: true }>, username: string): string {
  switch (refusal.code) {
    // The site administrator may create for any user: these cannot happen here.
    case 'authentication_required':
    case 'not_found':
    case 'forbidden':
    case 'missing_scope':
    case 'sso_required':
      return `Repositories cannot be created for ${username}.`;
    case 'invalid':
      return repositoryProblemSentence(refusal.problem);
    case 'email_unverified':
      return `${username} has not verified their email address; repositories need a verified address. Use the link in the verification mail (or create the user with --verified).`;
    case 'quota_exceeded':
      return `${username} already has ${refusal.quota} repositories, the limit (TESSERA_REPOSITORY_QUOTA; 0 means no limit). Delete one with: tessera repo delete --user ${username} --name …`;
    case 'rate_limited':
      return `${username} has created ${refusal.limit} repositories in the last hour, the most allowed. Try again after ${refusal.resetAt.toISOString()}.`;
  }
}

export function registerRepoCommands(program: Command): void {
  const repo = program.command('repo').description('Manage repositories (a record and its bare git repository)');

  repo.command('create')
    .description('Create a repository and print its HTTPS clone URL')
    .requiredOption('--user <login>', 'owner: a user, or an organization')
    .requiredOption('--name <name>', 'repository name')
    .option('--private', 'only the owner (an organization\'s members) can see, clone and push')
    .option('--description <text>', 'one-line description')
    .option(...DATA_OPTION)
    .action(async (options: DataOptions & { user: string; name: string; private?: boolean; description?: string }) => {
      await withStore(options, async (deps) => {
        const owner = await findOwner(deps, options.user);
        if (!owner) throw new CliError(`No user or organization named ${options.user}. Create one with: tessera user create --username ${options.user} … (or tessera org create)`);
        const result = await createRepository(deps, await adminPrincipal(deps), owner, {
          name: options.name, private: options.private ?? false, description: options.description ?? null,
        });
        if (!result.ok) throw new CliError(creationRefusal(result, owner.login));
        console.log(`${deps.config.baseUrl}/${owner.login}/${result.repository.name}.git`);
      });
    });

  repo.command('delete')
    .description('Delete a repository and its git data')
    .requiredOption('--user <login>', 'owner: a user, or an organization')
    .requiredOption('--name <name>', 'repository name')
    .option(...DATA_OPTION)
    .action(async (options: DataOptions & { user: string; name: string }) => {
      await withStore(options, async (deps) => {
        const found = await findRepositoryFor(deps, await adminPrincipal(deps), 'delete', options.user, options.name);
        if (!found.ok) throw new CliError(`${options.user} has no repository named ${options.name}. See: ${deps.config.baseUrl}/${options.user}`);
        await deleteRepository(deps, found.repository);
        console.log(`Deleted ${found.owner.login}/${found.repository.name}.`);
      });
    });

  repo.command('maintain')
    .description('Repack with a bitmap index and prune unreachable objects past the grace period (TESSERA_GIT_PRUNE_GRACE)')
    .option('--owner <login>', 'owner (a user or an organization) of the one repository to maintain')
    .option('--name <name>', 'name of the one repository to maintain')
    .option('--all', 'every repository, one after another')
    .option(...DATA_OPTION)
    .action(async (options: DataOptions & { owner?: string; name?: string; all?: boolean }) => {
      const one = options.owner !== undefined || options.name !== undefined;
      if (one === Boolean(options.all) || (one && (!options.owner || !options.name))) {
        throw new CliError('Give either --owner and --name for one repository, or --all.');
      }
      await withStore(options, async (deps, config) => {
        let targets: Array<{ fullName: string; path: string }>;
        if (options.all) {
          targets = await listRepositoriesToMaintain(deps);
        } else {
          const found = await findRepositoryFor(deps, await adminPrincipal(deps), 'read', options.owner!, options.name!);
          if (!found.ok) throw new CliError(`${options.owner} has no repository named ${options.name}. See: ${deps.config.baseUrl}/${options.owner}`);
          targets = [{ fullName: `${found.owner.login}/${found.repository.name}`, path: deps.repositoryFiles.pathOf(found.repository) }];
        }
        let failed = 0;
        for (const [index, target] of targets.entries()) {
          const started = performance.now();
          try {
            await maintainRepository(target.path, { pruneGraceSeconds: config.gitPruneGrace, now: deps.clock.now() });
            console.log(`[${index + 1}/${targets.length}] ${target.fullName}: repacked and pruned in ${((performance.now() - started) / 1000).toFixed(1)} s`);
          } catch (error) {
            failed += 1;
            console.error(`[${index + 1}/${targets.length}] ${target.fullName}: failed: ${(error as Error).message.split('\n')[0]}`);
          }
        }
        if (failed > 0) throw new CliError(`${failed} of ${targets.length} repositories could not be maintained; see above.`);
        console.log(`Maintained ${targets.length} ${targets.length === 1 ? 'repository' : 'repositories'}.`);
      });
    });
}
