/**
 * The test IdP (saml-idp.ts) over HTTP, for tests that go through a browser: GET /sso receives Tessera's
 * AuthnRequest (HTTP-Redirect binding), decodes it, and answers, as a signed-in IdP user, with a page whose form posts
 * a signed SAMLResponse to the request's AssertionConsumerServiceURL by itself (HTTP-POST binding). Like many
 * development IdPs it trusts the ACS URL and issuer the request names; a production IdP takes them from the SP's
 * metadata. The decoding helpers serve tests that follow Tessera's redirect without a browser too.
 */
import { createVerify } from 'node:crypto';
import type { TestContext } from 'node:test';
import { inflateRawSync } from 'node:zlib';
import { parseDomFromString } from '@node-saml/node-saml/lib/xml.js';
import Fastify from 'fastify';
import { createTestIdp, encodeSamlResponse, escapeXml, type TestIdp, type TestResponseOptions } from './saml-idp.ts';

export interface DecodedAuthnRequest {
  id: string;
  issuer: string;
  acsUrl: string;
  destination: string;
  protocolBinding: string;
  nameIdFormat: string;
  relayState: string | undefined;
  /** Present when the SP signed the request (redirect-binding signature over the query string). */
  sigAlg: string | undefined;
  xml: string;
}

interface DomElement {
  getAttribute(name: string): string;
  getElementsByTagNameNS(namespace: string, localName: string): ArrayLike<DomElement>;
  textContent: string | null;
}

/** The AuthnRequest carried by an HTTP-Redirect URL (deflated, base64, in SAMLRequest). */
export async function decodeAuthnRequest(url: string | URL): Promise<DecodedAuthnRequest> {
  const query = new URL(url).searchParams;
  const xml = inflateRawSync(Buffer.from(query.get('SAMLRequest') ?? '', 'base64')).toString('utf8');
  const request = ((await parseDomFromString(xml)) as unknown as { documentElement: DomElement }).documentElement;
  const first = (localName: string) => request.getElementsByTagNameNS('*', localName)[0];
  return {
    id: request.getAttribute('ID'),
    issuer: first('Issuer')?.textContent ?? '',
    acsUrl: request.getAttribute('AssertionConsumerServiceURL'),
    destination: request.getAttribute('Destination'),
    protocolBinding: request.getAttribute('ProtocolBinding'),
    nameIdFormat: first('NameIDPolicy')?.getAttribute('Format') ?? '',
    relayState: query.get('RelayState') ?? undefined,
    sigAlg: query.get('SigAlg') ?? undefined,
    xml,
  };
}

/**
 * Whether a signed HTTP-Redirect URL verifies with `certificate`: SAML Bindings 3.4.4.1, the signature is over
 * `SAMLRequest=…&RelayState=…&SigAlg=…` exactly as those parameters were URL-encoded in the query string.
 */
export function isRedirectSignatureValid(url: string | URL, certificate: string): boolean {
  const parameters = new URL(url).search.slice(1).split('&');
  const raw = (name: string) => parameters.find((parameter) => parameter.startsWith(`${name}=`));
  const signed = ['SAMLRequest', 'RelayState', 'SigAlg'].map(raw).filter((parameter) => parameter !== undefined).join('&');
  const signature = new URL(url).searchParams.get('Signature');
  const algorithm = new URL(url).searchParams.get('SigAlg');
  if (!signature || algorithm !== 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256') return false;
  return createVerify('RSA-SHA256').update(signed).verify(certificate, signature, 'base64');
}

/** The IdP's answer page: a form that posts the response to the ACS URL as soon as it loads. */
export function autoPostForm(acsUrl: string, samlResponse: string, relayState: string | undefined): string {
  const relay = relayState === undefined ? '' : `<input type="hidden" name="RelayState" value="${escapeXml(relayState)}">`;
  return '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Test IdP</title></head>'
    + '<body onload="document.forms[0].submit()">'
    + `<form method="post" action="${escapeXml(acsUrl)}">`
    + `<input type="hidden" name="SAMLResponse" value="${escapeXml(samlResponse)}">${relay}`
    + '<noscript><button type="submit">Continue</button></noscript></form></body></html>';
}

export interface TestIdpServer {
  idp: TestIdp;
  baseUrl: string;
  /** Every AuthnRequest received, oldest first. */
  requests: DecodedAuthnRequest[];
  /** Who the IdP's user is from now on; undefined makes /sso refuse (nobody signed in at the IdP). */
  signInAs(nameId: string | undefined): void;
}

export async function startTestIdpServer(
  t: TestContext | { after(fn: () => Promise<void>): void },
  options: {
    entityId?: string;
    /** Changes to every response (expired, another audience…), for tests of refusals through the browser. */
    respond?: (request: DecodedAuthnRequest) => Partial<TestResponseOptions>;
    now?: () => Date;
  } = {},
): Promise<TestIdpServer> {
  const app = Fastify();
  let idp: TestIdp | undefined;
  let nameId: string | undefined;
  const requests: DecodedAuthnRequest[] = [];
  app.get('/sso', async (request, reply) => {
    const authnRequest = await decodeAuthnRequest(new URL(request.url, 'http://idp.invalid'));
    requests.push(authnRequest);
    if (!idp || nameId === undefined) return reply.code(403).type('text/plain').send('Nobody is signed in at the test IdP.');
    const xml = await idp.responseXml({
      sp: { entityId: authnRequest.issuer, acsUrl: authnRequest.acsUrl },
      inResponseTo: authnRequest.id,
      now: options.now?.() ?? new Date(),
      nameId,
      ...options.respond?.(authnRequest),
    });
    return reply.type('text/html; charset=utf-8').send(autoPostForm(authnRequest.acsUrl, encodeSamlResponse(xml), authnRequest.relayState));
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  t.after(() => app.close());
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the test IdP has no port');
  const baseUrl = `http://127.0.0.1:${address.port}`;
  idp = await createTestIdp(t, { ssoUrl: `${baseUrl}/sso`, ...(options.entityId && { entityId: options.entityId }) });
  return { idp, baseUrl, requests, signInAs: (next) => { nameId = next; } };
}
