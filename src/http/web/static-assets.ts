/**
 * The files pages load: Primer's stylesheet, the clipboard-copy element, Tessera's own stylesheet and favicon
 * (src/assets). They change only with a release, so browsers may keep them a day; each says nosniff, so a file is
 * only ever used as the type it is served as.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { NOSNIFF } from '../plugins/security-headers.ts';

const ASSETS_DIR = fileURLToPath(new URL('../../assets/', import.meta.url));
const FAVICON = readFileSync(`${ASSETS_DIR}favicon.ico`);
const CACHE_FOR = '1d';

function packageDir(packagePath: string): string {
  return fileURLToPath(import.meta.resolve(packagePath)).replace(/[^/]+$/, '');
}

function setNosniff(reply: FastifyReply): void {
  reply.headers(NOSNIFF);
}

export async function registerStaticAssets(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: packageDir('@primer/css/dist/primer.css'),
    prefix: '/assets/primer/',
    allowedPath: (path) => path === '/primer.css',
    maxAge: CACHE_FOR,
    setHeaders: setNosniff,
  });
  await app.register(fastifyStatic, {
    root: packageDir('@github/clipboard-copy-element'),
    prefix: '/assets/clipboard-copy/',
    decorateReply: false,
    maxAge: CACHE_FOR,
    setHeaders: setNosniff,
  });
  await app.register(fastifyStatic, {
    root: ASSETS_DIR,
    prefix: '/assets/tessera/',
    decorateReply: false,
    maxAge: CACHE_FOR,
    setHeaders: setNosniff,
  });
  // Where browsers and feed readers look for it without being told; pages name the SVG version.
  app.get('/favicon.ico', async (_request, reply) => reply.headers(NOSNIFF).type('image/x-icon')
    .header('Cache-Control', 'public, max-age=86400').send(FAVICON));
}
