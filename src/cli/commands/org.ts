import type { Command } from 'commander';
import type { Deps } from '../../domain/deps.ts';
import {
  addMember, listMembers, type MembershipRefusal, removeMember, roleFromWord, setRole,
} from '../../domain/organization-members.ts';
import {
  createOrganization, type CreateOrganizationResult, findOrganization, type Organization,
} from '../../domain/organizations.ts';
import { listOrganizations } from '../../store/organization-store.ts';
import type { OrganizationRole } from '../../store/database.ts';
import { profileProblemSentence } from '../../i18n/english-field-errors.ts';
import { CliError } from '../cli-error.ts';
import { printTable } from '../table.ts';
import { registerOrgSsoCommand } from './org-sso.ts';
import { adminPrincipal, DATA_OPTION, type DataOptions, requireUser, withStore } from '../store-session.ts';

/** What people call the roles: GitHub's pages say "owner" for the `admin` role. */
export const ROLE_WORDS: Record<OrganizationRole, string> = { admin: 'owner', member: 'member' };

async function requireOrganization(deps: Deps, login: string): Promise<Organization> {
  const organization = await findOrganization(deps, login);
  if (!organization) throw new CliError(`No organization named ${login}. Create one with: tessera org create --name ${login} --owner USER`);
  return organization;
}

function parseRole(word: string): OrganizationRole {
  const role = roleFromWord(word);
  if (!role) throw new CliError(`--role must be owner or member, not "${word}".`);
  return role;
}

function creationRefusal(refusal: Exclude<CreateOrganizationResult, { ok: true }>, login: string): string {
  switch (refusal.code) {
    case 'login_invalid':
      return `${login} is not a valid organization name: use letters, digits and single hyphens, not at either end, at most 39 characters. Change --name and try again.`;
    case 'login_reserved':
      return `${login} is a name Tessera keeps for its own pages. Choose another --name.`;
    case 'login_taken':
      return `The name ${login} is already taken by a user or an organization. Choose another --name.`;
    case 'invalid_profile':
      return `${profileProblemSentence(refusal, refusal.field === 'name' ? '--display-name' : '--description')} Change it and try again.`;
    case 'admin_not_found':
      return 'The owner named by --owner does not exist. Create the user first with: tessera user create …';
    // The site administrator may always create organizations: the rest cannot happen here.
    default:
      return `The organization could not be created (${refusal.code}).`;
  }
}

function membershipRefusal(refusal: MembershipRefusal | { ok: false; code: 'already_member' }, user: string, org: string): string {
  switch (refusal.code) {
    case 'last_admin':
      return `${user} is the last owner of ${org}, which must keep one. Make another member an owner first: tessera org add-member --org ${org} --user OTHER --role owner`;
    case 'not_member':
      return `${user} is not a member of ${org}. See its members with: tessera org members --org ${org}`;
    case 'user_not_found':
      return `No user named ${user}. Create one with: tessera user create --username ${user} …`;
    default:
      return `The membership of ${user} in ${org} could not be changed (${refusal.code}).`;
  }
}

export function registerOrgCommands(program: Command): void {
  const org = program.command('org').description('Manage organizations and their members');

  org.command('create')
    .description('Create an organization with USER as its first owner, and print its page\'s URL')
    .requiredOption('--name <login>', 'the organization\'s login (letters, digits, single hyphens; unique among users and organizations)')
    .requiredOption('--owner <username>', 'its first owner')
    .option('--display-name <text>', 'display name (GitHub\'s profile_name)')
    .option('--description <text>', 'one-line description')
    .option(...DATA_OPTION)
    .action(async (options: DataOptions & { name: string; owner: string; displayName?: string; description?: string }) => {
      await withStore(options, async (deps) => {
        const admin = await requireUser(deps, options.owner);
        const result = await createOrganization(deps, await adminPrincipal(deps), {
          login: options.name, admin, name: options.displayName ?? null, description: options.description ?? null,
        }, {});
        if (!result.ok) throw new CliError(creationRefusal(result, options.name));
        console.log(`${deps.config.baseUrl}/${result.organization.owner.login}`);
      });
    });

  org.command('add-member')
    .description('Add a user to an organization, or change the role of one who is a member already')
    .requiredOption('--org <login>', 'organization')
    .requiredOption('--user <username>', 'the user to add')
    .option('--role <role>', 'owner or member', 'member')
    .option(...DATA_OPTION)
    .action(async (options: DataOptions & { org: string; user: string; role: string }) => {
      const role = parseRole(options.role);
      await withStore(options, async (deps) => {
        const organization = await requireOrganization(deps, options.org);
        const user = await requireUser(deps, options.user);
        const principal = await adminPrincipal(deps);
        const added = await addMember(deps, principal, organization, user.username, role, {});
        const where = `${user.username} in ${organization.owner.login}`;
        if (added.ok) return void console.log(`Added ${where} as ${ROLE_WORDS[role]}.`);
        if (added.code !== 'already_member') throw new CliError(membershipRefusal(added, user.username, organization.owner.login));
        if (added.role === role) return void console.log(`${user.username} is already ${ROLE_WORDS[role]} of ${organization.owner.login}.`);
        const changed = await setRole(deps, principal, organization, user.username, role, {});
        if (!changed.ok) throw new CliError(membershipRefusal(changed, user.username, organization.owner.login));
        console.log(`Changed the role of ${where} from ${ROLE_WORDS[added.role]} to ${ROLE_WORDS[role]}.`);
      });
    });

  org.command('remove-member')
    .description('Remove a user from an organization (never its last owner)')
    .requiredOption('--org <login>', 'organization')
    .requiredOption('--user <username>', 'the member to remove')
    .option(...DATA_OPTION)
    .action(async (options: DataOptions & { org: string; user: string }) => {
      await withStore(options, async (deps) => {
        const organization = await requireOrganization(deps, options.org);
        const removed = await removeMember(deps, await adminPrincipal(deps), organization, options.user, {});
        if (!removed.ok) throw new CliError(membershipRefusal(removed, options.user, organization.owner.login));
        console.log(`Removed ${options.user} from ${organization.owner.login}.`);
      });
    });

  org.command('list')
    .description('List the organizations, with their number of members')
    .option(...DATA_OPTION)
    .action(async (options: DataOptions) => {
      await withStore(options, async (deps) => {
        const organizations = await listOrganizations(deps.db);
        if (organizations.length === 0) return void console.log('No organizations yet. Create one with: tessera org create --name ORG --owner USER');
        const principal = await adminPrincipal(deps);
        const rows = [['LOGIN', 'NAME', 'OWNERS', 'MEMBERS']];
        for (const organization of organizations) {
          const { members } = await listMembers(deps, principal, organization);
          const owners = members.filter((member) => member.role === 'admin').map((member) => member.user.username);
          rows.push([organization.owner.login, organization.profile.name ?? '-', owners.join(',') || '-', String(members.length)]);
        }
        printTable(rows);
      });
    });

  org.command('members')
    .description('List an organization\'s members with their roles')
    .requiredOption('--org <login>', 'organization')
    .option(...DATA_OPTION)
    .action(async (options: DataOptions & { org: string }) => {
      await withStore(options, async (deps) => {
        const organization = await requireOrganization(deps, options.org);
        const { members } = await listMembers(deps, await adminPrincipal(deps), organization);
        printTable([['USERNAME', 'ROLE', 'MEMBERSHIP'], ...members.map((member) => [
          member.user.username, ROLE_WORDS[member.role], member.public ? 'public' : 'concealed',
        ])]);
      });
    });

  registerOrgSsoCommand(org);
}
