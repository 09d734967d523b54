/** What the SAML service-provider code works with; every result is a value with a code, never an HTTP status or a sentence. */
import type { Clock } from '../domain/deps.ts';
import type { OneTimeStore, ReplayCache } from '../domain/shared-state.ts';

/** An organization's identity provider, as its owner configured it (by hand or from its metadata, idp-metadata.ts). */
export interface IdpSettings {
  /** The IdP's entity ID: the Issuer of its responses and assertions. */
  entityId: string;
  /** Where sign-ins start (its SingleSignOnService with the HTTP-Redirect binding). */
  ssoUrl: string;
  /** PEM certificates whose keys may sign for it (several while it rolls over to a new key); nothing else is trusted. */
  certificates: string[];
}

/** The organization a sign-in is for: its id binds the request to it, its login names the SP's URLs. */
export interface SamlOrganization {
  id: number | string;
  login: string;
}

/** The subset of Deps the SAML code needs. */
export interface SamlDeps {
  clock: Clock;
  config: { baseUrl: string };
  shared: { oneTime: OneTimeStore; replayCache: ReplayCache };
}

/** Tessera's key for signing AuthnRequests, when the IdP wants them signed. */
export interface SpSigningKey {
  privateKey: string;
  certificate: string;
}

/** Why a posted SAMLResponse was refused; the caller logs the code (never the response) and shows one sentence for it. */
export type SamlResponseFailure =
  /** Not base64, not one plain XML document (DOCTYPE, entities, comments, several roots…), or not a SAML Response. */
  | 'malformed'
  /** The IdP answered with a status other than Success (the user cancelled, or was not allowed). */
  | 'idp_error'
  /** Neither the Response nor its Assertion carries a signature. */
  | 'unsigned'
  /** A signature that does not verify with the organization's certificate, or that does not cover what is read (wrapping). */
  | 'bad_signature'
  /** Signed or digested with SHA-1. */
  | 'weak_algorithm'
  /** An EncryptedAssertion: Tessera publishes no encryption key, so the IdP must not encrypt. */
  | 'encrypted_assertion'
  /** The Issuer is not the organization's IdP. */
  | 'wrong_issuer'
  /** The Response's Destination is not this organization's ACS URL. */
  | 'wrong_destination'
  /** The SubjectConfirmationData's Recipient is not this organization's ACS URL. */
  | 'wrong_recipient'
  /** The assertion is not meant for this organization's SP entity ID. */
  | 'wrong_audience'
  | 'expired'
  | 'not_yet_valid'
  /** This assertion was accepted before. */
  | 'replayed'
  /** Not an answer to a sign-in this SP started for this organization (unsolicited, unknown, used, expired, or another org's). */
  | 'unknown_request';

export type SamlResponseResult =
  | {
    ok: true;
    /** Exactly as the IdP signed it: compare it with a linked identity byte for byte. */
    nameId: string;
    nameIdFormat: string | undefined;
    /** When the organization's SAML session ends: the IdP's SessionNotOnOrAfter, capped (24 hours by default). */
    sessionNotOnOrAfter: Date;
    /** Attribute name → its text values. */
    attributes: Record<string, string[]>;
    /** What the caller gave startSamlSignIn, from Tessera's own store (never the RelayState posted by the browser). */
    relayState: string | undefined;
  }
  | { ok: false; code: SamlResponseFailure };
