/**
 * Relay connections over a list already in memory, with opaque cursors as GitHub gives them. A cursor is the base64
 * of `cursor:v2:` and an item's position in the ordered list, so `after`/`before` keep working while the list is read
 * page by page (an item added or removed meanwhile shifts the later pages by one, as with any offset).
 */
export interface ConnectionArguments {
  first?: number | null;
  last?: number | null;
  after?: string | null;
  before?: string | null;
}

const CURSOR_PREFIX = 'cursor:v2:';

export function cursorAt(position: number): string {
  return Buffer.from(`${CURSOR_PREFIX}${position}`).toString('base64');
}

/** The position a cursor names, or undefined for a cursor Tessera did not give. */
export function positionOf(cursor: string): number | undefined {
  if (cursor.length > 64) return undefined;
  const match = new RegExp(`^${CURSOR_PREFIX}(0|[1-9][0-9]{0,9})$`).exec(Buffer.from(cursor, 'base64').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

export type CursorResult = { ok: true; start: number; end: number } | { ok: false; argument: 'after' | 'before'; cursor: string };

/** The slice [start, end) of `total` items that the arguments select (Relay's cursor-connections algorithm). */
export function selectSlice(total: number, args: ConnectionArguments): CursorResult {
  let start = 0;
  let end = total;
  if (args.after != null) {
    const position = positionOf(args.after);
    if (position === undefined) return { ok: false, argument: 'after', cursor: args.after };
    start = Math.min(position + 1, total);
  }
  if (args.before != null) {
    const position = positionOf(args.before);
    if (position === undefined) return { ok: false, argument: 'before', cursor: args.before };
    end = Math.max(Math.min(position, end), start);
  }
  if (args.first != null) end = Math.min(end, start + args.first);
  if (args.last != null) start = Math.max(start, end - args.last);
  return { ok: true, start, end };
}

export function connectionOf<T, N>(items: readonly T[], slice: { start: number; end: number }, toNode: (item: T) => N) {
  const nodes = items.slice(slice.start, slice.end).map(toNode);
  const edges = nodes.map((node, index) => ({ cursor: cursorAt(slice.start + index), node }));
  return {
    nodes,
    edges,
    totalCount: items.length,
    pageInfo: {
      hasNextPage: slice.end < items.length,
      hasPreviousPage: slice.start > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** A connection Tessera has nothing for yet (issues, stars, followers …): GitHub's answer for an empty one. */
export function emptyConnection() {
  return connectionOf([], { start: 0, end: 0 }, (item) => item);
}
