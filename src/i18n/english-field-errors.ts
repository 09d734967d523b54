/**
 * Field errors in English, for the edges that answer in English whatever the page's language: the REST API and
 * GraphQL (GitHub's words, as GitHub's own are English) and the command line. The domain refuses a field with a code
 * (display-text.ts, repositories.ts, organizations.ts); the site's pages word the same codes in their language.
 */
import type { UnsafeTextCode } from '../domain/display-text.ts';
import { MAX_PROFILE_LENGTHS, type ProfileProblem } from '../domain/organizations.ts';
import type { RepositoryInputProblem } from '../domain/repositories.ts';

export function unsafeTextSentence(label: string, code: UnsafeTextCode): string {
  return code === 'control_character'
    ? `${label} can't contain control characters or line breaks.`
    : `${label} can't contain characters that change the direction of the text (U+202A–U+202E, U+2066–U+2069).`;
}

/** A refused display name or description of an organization, labelled as the edge calls the field (`--display-name`, `profile_name`). */
export function profileProblemSentence(problem: ProfileProblem, label: string): string {
  if (problem.problem !== 'too_long') return unsafeTextSentence(label, problem.problem);
  return `${label} is too long (at most ${MAX_PROFILE_LENGTHS[problem.field]} characters).`;
}

/** A refused field of a new repository. */
export function repositoryProblemSentence(problem: RepositoryInputProblem): string {
  if (problem.field === 'description') return unsafeTextSentence('Description', problem.problem);
  switch (problem.problem) {
    case 'invalid':
      return 'Repository name may only contain letters, digits, ".", "-" and "_", and is at most 100 characters.';
    case 'reserved':
      return `Repository name "${problem.name}" is reserved.`;
    case 'taken':
      return 'name already exists on this account';
  }
}
