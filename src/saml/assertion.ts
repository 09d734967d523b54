/**
 * Reads a SAML Assertion element into plain values, or refuses it (undefined) when a part the Web Browser SSO profile
 * requires is missing or ill-formed. It is read twice: first from the posted document, only so that broken responses
 * are told apart from forged ones before the signature check; then from the bytes node-saml verified, and only that
 * second reading is ever acted on.
 */
import { attribute, childElements, NS, onlyChild, textOnly, type XmlElement } from './xml-document.ts';

export interface SamlAssertion {
  id: string;
  issuer: string;
  issueInstant: Date;
  nameId: string;
  nameIdFormat: string | undefined;
  /** The bearer SubjectConfirmationData. */
  confirmation: { recipient: string | undefined; inResponseTo: string | undefined; notBefore: Date | undefined; notOnOrAfter: Date };
  /** Each AudienceRestriction's audiences (the assertion is for an SP named in every one of them). */
  conditions: { notBefore: Date | undefined; notOnOrAfter: Date; audienceRestrictions: string[][] };
  /** The earliest SessionNotOnOrAfter of its AuthnStatements. */
  sessionNotOnOrAfter: Date | undefined;
  attributes: Record<string, string[]>;
}

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';
/** Conditions Tessera understands; SAML core 2.7.2: a condition that is not understood makes the assertion invalid. */
const KNOWN_CONDITIONS = new Set(['AudienceRestriction', 'OneTimeUse', 'ProxyRestriction']);
/** xs:dateTime as SAML uses it (core 1.3.3: UTC). */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]00:00)$/;

/** A date attribute: undefined when absent, null when present but not a SAML dateTime. */
function dateOf(element: XmlElement, name: string): Date | undefined | null {
  const value = attribute(element, name);
  if (value === undefined) return undefined;
  return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)) ? new Date(value) : null;
}

export function readAssertion(element: XmlElement): SamlAssertion | undefined {
  const id = attribute(element, 'ID');
  const issueInstant = dateOf(element, 'IssueInstant');
  const issuer = onlyChild(element, NS.assertion, 'Issuer');
  const subject = onlyChild(element, NS.assertion, 'Subject');
  const conditions = onlyChild(element, NS.assertion, 'Conditions');
  if (!id || !issueInstant || attribute(element, 'Version') !== '2.0' || !issuer || !subject || !conditions) return undefined;
  const issuerText = textOnly(issuer);
  const nameId = onlyChild(subject, NS.assertion, 'NameID');
  const nameIdText = nameId && textOnly(nameId);
  if (!issuerText || !nameId || !nameIdText || childElements(subject, NS.assertion, 'EncryptedID').length > 0) return undefined;
  const bearers = childElements(subject, NS.assertion, 'SubjectConfirmation').filter((confirmation) => attribute(confirmation, 'Method') === BEARER);
  const data = bearers.length === 1 ? onlyChild(bearers[0]!, NS.assertion, 'SubjectConfirmationData') : undefined;
  if (!data) return undefined;
  const confirmationNotBefore = dateOf(data, 'NotBefore');
  const confirmationNotOnOrAfter = dateOf(data, 'NotOnOrAfter');
  const notBefore = dateOf(conditions, 'NotBefore');
  const notOnOrAfter = dateOf(conditions, 'NotOnOrAfter');
  if (confirmationNotBefore === null || !confirmationNotOnOrAfter || notBefore === null || !notOnOrAfter) return undefined;
  if (childElements(conditions).some((condition) => condition.namespaceURI !== NS.assertion || !KNOWN_CONDITIONS.has(condition.localName ?? ''))) {
    return undefined;
  }
  const audienceRestrictions = childElements(conditions, NS.assertion, 'AudienceRestriction')
    .map((restriction) => childElements(restriction, NS.assertion, 'Audience').map((audience) => textOnly(audience) ?? ''));
  const authnStatements = childElements(element, NS.assertion, 'AuthnStatement');
  const sessionEnds = authnStatements.map((statement) => dateOf(statement, 'SessionNotOnOrAfter'));
  if (authnStatements.length === 0 || sessionEnds.includes(null)) return undefined;
  const sessionNotOnOrAfter = sessionEnds.filter((end): end is Date => end instanceof Date).sort((a, b) => a.getTime() - b.getTime())[0];
  return {
    id,
    issuer: issuerText,
    issueInstant,
    nameId: nameIdText,
    nameIdFormat: attribute(nameId, 'Format'),
    confirmation: {
      recipient: attribute(data, 'Recipient'),
      inResponseTo: attribute(data, 'InResponseTo'),
      notBefore: confirmationNotBefore,
      notOnOrAfter: confirmationNotOnOrAfter,
    },
    conditions: { notBefore, notOnOrAfter, audienceRestrictions },
    sessionNotOnOrAfter,
    attributes: readAttributes(element),
  };
}

/** Attribute name → text values, over every AttributeStatement; values holding elements are left out. */
function readAttributes(element: XmlElement): Record<string, string[]> {
  // A Map, then fromEntries: an attribute named __proto__ becomes a plain own property, never the object's prototype.
  const attributes = new Map<string, string[]>();
  for (const statement of childElements(element, NS.assertion, 'AttributeStatement')) {
    for (const item of childElements(statement, NS.assertion, 'Attribute')) {
      const name = attribute(item, 'Name');
      if (!name) continue;
      const values = childElements(item, NS.assertion, 'AttributeValue').map(textOnly).filter((value) => value !== undefined);
      attributes.set(name, [...(attributes.get(name) ?? []), ...values]);
    }
  }
  return Object.fromEntries(attributes);
}
