/**
 * Avatars at the `avatar_url` the API gives (`/avatars/u/{id}`, the path GitHub Enterprise Server uses): a GitHub-style
 * identicon, a symmetric 5×5 pattern in one colour, drawn as SVG from a hash of the user id. Any id gets one, so the
 * answer says nothing about which accounts exist; it never changes, so clients and proxies may keep it for a day.
 */
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { IMAGE_HEADERS } from '../plugins/security-headers.ts';

const GRID = 5;
const CELL = 70;
const MARGIN = 35;

export function identiconSvg(seed: string): string {
  const hash = createHash('sha256').update(`tessera-avatar:${seed}`).digest();
  const hue = Math.round((hash.readUInt16BE(0) / 0xffff) * 360);
  const colour = `hsl(${hue}, 55%, 55%)`;
  const cells: string[] = [];
  for (let row = 0; row < GRID; row++) {
    for (let column = 0; column < Math.ceil(GRID / 2); column++) {
      if ((hash[2 + row * 3 + column]! & 1) === 0) continue;
      for (const x of new Set([column, GRID - 1 - column])) {
        cells.push(`<rect x="${MARGIN + x * CELL}" y="${MARGIN + row * CELL}" width="${CELL}" height="${CELL}"/>`);
      }
    }
  }
  const size = GRID * CELL + 2 * MARGIN;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">`
    + `<rect width="${size}" height="${size}" fill="#f0f0f0"/><g fill="${colour}">${cells.join('')}</g></svg>`;
}

export function registerAvatarRoutes(app: FastifyInstance): void {
  app.get<{ Params: { id: number } }>('/avatars/u/:id', {
    schema: { params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] } },
  }, async (request, reply) => {
    return reply.type('image/svg+xml').headers(IMAGE_HEADERS).header('Cache-Control', 'public, max-age=86400, immutable')
      .header('Access-Control-Allow-Origin', '*').send(identiconSvg(String(request.params.id)));
  });
}
