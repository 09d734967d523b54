/**
 * Tessera as a SAML service provider, one per organization (as GitHub does for organizations):
 * entity ID `<base>/orgs/<org>`, Assertion Consumer Service `<base>/orgs/<org>/saml/consume` (HTTP-POST binding),
 * metadata at `<base>/orgs/<org>/saml/metadata`.
 *
 * NameID format: unspecified. Tessera never derives an account from the NameID: it links the NameID of a user's
 * first sign-in (made while signed in to Tessera) and afterwards compares it exactly, so any stable identifier the IdP
 * sends will do (persistent, emailAddress…). Asking for emailAddress would make IdPs set up for persistent
 * identifiers refuse the sign-in with InvalidNameIDPolicy.
 */
import { generateServiceProviderMetadata } from '@node-saml/node-saml';
import type { SpSigningKey } from './types.ts';

export const NAMEID_FORMAT_UNSPECIFIED = 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified';

export interface ServiceProvider {
  entityId: string;
  acsUrl: string;
  metadataUrl: string;
}

export function samlServiceProvider(baseUrl: string, orgLogin: string): ServiceProvider {
  const entityId = `${baseUrl.replace(/\/+$/, '')}/orgs/${encodeURIComponent(orgLogin)}`;
  return { entityId, acsUrl: `${entityId}/saml/consume`, metadataUrl: `${entityId}/saml/metadata` };
}

/**
 * The SP metadata XML an IdP administrator imports. WantAssertionsSigned asks metadata-aware IdPs to sign the
 * assertion itself (Tessera also accepts a signed Response around an unsigned assertion); with a signing key the
 * metadata carries its certificate and AuthnRequestsSigned="true".
 */
export function buildServiceProviderMetadata(baseUrl: string, orgLogin: string, signing?: SpSigningKey): string {
  const sp = samlServiceProvider(baseUrl, orgLogin);
  return generateServiceProviderMetadata({
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    identifierFormat: NAMEID_FORMAT_UNSPECIFIED,
    wantAssertionsSigned: true,
    ...(signing && { privateKey: signing.privateKey, publicCerts: signing.certificate, signatureAlgorithm: 'sha256' as const }),
  });
}
