/**
 * node-saml configured for Tessera: one SAML instance per call (the organization's IdP and SP differ each time),
 * with everything Tessera does itself switched off in node-saml, so that there is one place for each check:
 * - validateInResponseTo 'never' and a cache provider that refuses to be used: request IDs live in the shared store,
 *   bound to the organization (request-store.ts), not in node-saml's per-process memory;
 * - acceptedClockSkewMs -1 and audience false: times are checked against the caller's clock (node-saml reads
 *   `new Date()`), and audience with the other conditions on the verified assertion (assertion-checks.ts).
 * What node-saml does here: build the AuthnRequest and its redirect URL (signed when Tessera has a key), and verify
 * a response's signatures with the configured certificates only, returning the bytes that were signed.
 */
import { type CacheProvider, type SamlConfig, ValidateInResponseTo } from '@node-saml/node-saml';
import type { ServiceProvider } from './service-provider.ts';
import { NAMEID_FORMAT_UNSPECIFIED } from './service-provider.ts';
import type { IdpSettings, SpSigningKey } from './types.ts';

const unusedCacheProvider: CacheProvider = {
  saveAsync: () => Promise.reject(new Error('SAML request IDs are kept by request-store.ts')),
  getAsync: () => Promise.reject(new Error('SAML request IDs are kept by request-store.ts')),
  removeAsync: () => Promise.reject(new Error('SAML request IDs are kept by request-store.ts')),
};

export function nodeSamlConfig(sp: ServiceProvider, idp: IdpSettings, extra: Partial<SamlConfig> = {}, signing?: SpSigningKey): SamlConfig {
  return {
    issuer: sp.entityId,
    callbackUrl: sp.acsUrl,
    entryPoint: idp.ssoUrl,
    idpCert: idp.certificates,
    identifierFormat: NAMEID_FORMAT_UNSPECIFIED,
    // IdPs compare a RequestedAuthnContext exactly; PasswordProtectedTransport (node-saml's default) fails users who
    // sign in with a passkey or a smart card. How users authenticate is the IdP's policy.
    disableRequestedAuthnContext: true,
    wantAuthnResponseSigned: false,
    wantAssertionsSigned: false,
    audience: false,
    acceptedClockSkewMs: -1,
    validateInResponseTo: ValidateInResponseTo.never,
    cacheProvider: unusedCacheProvider,
    ...(signing && { privateKey: signing.privateKey, signatureAlgorithm: 'sha256' as const }),
    ...extra,
  };
}
