/**
 * The signature check, by node-saml (validatePostResponseAsync, configured in node-saml-options.ts) and its xml-crypto:
 * a Response signature or an Assertion signature must verify with one of the organization's configured certificates
 * (a certificate in the message's KeyInfo is never used: xml-crypto 6 ignores KeyInfo unless told otherwise), its one
 * Reference must point at its own parent, that ID must be unique, and only what was signed is read: node-saml re-parses
 * the canonical signed bytes and takes the assertion from them. The result is that assertion's XML (comments, if the
 * sender added any after signing, are gone: exclusive canonicalization drops them) and node-saml's reading of its
 * NameID, which verify-response.ts compares with its own.
 *
 * node-saml answers failures with English errors; every one of them, given a document that passed
 * response-structure.ts, is a signature that did not verify, so this module answers no more than that.
 */
import { SAML } from '@node-saml/node-saml';
import { nodeSamlConfig } from './node-saml-options.ts';
import type { ServiceProvider } from './service-provider.ts';
import type { IdpSettings } from './types.ts';

export type SignatureCheck = { ok: true; assertionXml: string; nameId: string | undefined } | { ok: false };

export async function verifySignedAssertion(xml: string, sp: ServiceProvider, idp: IdpSettings): Promise<SignatureCheck> {
  try {
    const saml = new SAML(nodeSamlConfig(sp, idp));
    const { profile } = await saml.validatePostResponseAsync({ SAMLResponse: Buffer.from(xml, 'utf8').toString('base64') });
    const assertionXml = profile?.getAssertionXml?.();
    if (!profile || !assertionXml) return { ok: false };
    return { ok: true, assertionXml, nameId: typeof profile.nameID === 'string' ? profile.nameID : undefined };
  } catch {
    return { ok: false };
  }
}
