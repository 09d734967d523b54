/**
 * The web matrix's vocabulary (web-security-matrix.test.ts, matrix/web-table.ts): who visits, what the owner has
 * that forms act on, and a row's shape with the helpers that write its expected answers.
 */
import type { RouteKey } from '../../helpers/route-areas.ts';
import type { UserRow } from '../../../src/store/database.ts';

export const VISITORS = ['signed out', 'another user', 'owner'] as const;
export type Visitor = (typeof VISITORS)[number];

/** Each request is sent as is, then with the owner's token as `token`, Bearer and Basic; the tag goes into names. */
export const VARIANT_TAGS = ['vNONE', 'vTOKEN', 'vBEARER', 'vBASIC'] as const;

/**
 * Things of the owner's that forms act on: a private repository, tokens (live and removed), a session; in the
 * organization the owner owns, a member and a user who is not one yet, and a member with a linked SAML identity and
 * a token authorized for the organization; an organization of the owner's that uses SAML.
 */
export interface OwnerThings {
  repo: string;
  tokenId: number;
  tokenToRegenerateId: number;
  removedTokenId: number;
  sessionId: number;
  member: string;
  recruit: string;
  linkedUserId: number;
  authorizationId: number;
  samlOrganization: string;
}

/** The owner's real things, and doomed ones per tag for the owner's own allowed forms (one per way of sending). */
export interface WebFixture extends OwnerThings {
  owner: UserRow;
  other: UserRow;
  /**
   * An organization the owner owns (another user is no member), with a private repository named orgRepo; it uses
   * SAML (not enforced), and the owner has no SAML session for it.
   */
  organization: string;
  orgRepo: string;
  /** The IdP metadata web-org's SAML settings were made from. */
  idpMetadata: string;
  doomed(tag: string): OwnerThings;
}

/** 'sign in': 302 to /login?return_to=<the path asked for>. A location may be a pattern (made-up names). */
export type Expected = number | 'sign in' | { status: number; location: string | RegExp };

export interface WebRoute extends RouteKey {
  method: 'GET' | 'POST';
  /** Why anyone may use it, for pages public by design. */
  publicBecause?: string;
  /**
   * `tag` names what the request makes, unique per case and way of sending the token; `doomed` aims it at the doomed
   * things of that tag (only the owner's allowed POSTs are), else at the owner's real ones.
   */
  request(fixture: WebFixture, tag: string, doomed: boolean): { path: string; form?: Record<string, string> };
  expected: Record<Visitor, Expected>;
  /** Visitors whose request changes what is stored; for everyone else the store must stay exactly as it was. */
  changes?: Visitor[];
  /** Why a form takes no CSRF token: then forged forms get what the visitor's own would. */
  csrfExemptBecause?: string;
  /** What differs on every request (a one-time id in a redirect or a document), left out when answers are compared. */
  varies?: RegExp;
}

export const to = (location: string | RegExp, status = 302) => ({ status, location });
export const all = (expected: Expected): Record<Visitor, Expected> => ({ 'signed out': expected, 'another user': expected, owner: expected });
/** Signed out: to the sign-in page and back; signed in: what another user and the owner get. */
export const signedIn = (anotherUser: Expected, owner: Expected): Record<Visitor, Expected> => ({ 'signed out': 'sign in', 'another user': anotherUser, owner });
export const anyUser = (expected: Expected) => signedIn(expected, expected);
/** The owner's real things, or (for the owner's own allowed POSTs) the doomed ones of this tag. */
export const target = (fixture: WebFixture, tag: string, doomed: boolean) => (doomed ? fixture.doomed(tag) : fixture);
