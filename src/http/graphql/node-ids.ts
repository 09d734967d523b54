/**
 * Global node ids, the same strings REST answers as `node_id` (github-json.ts), so a client may take an id from
 * either API to the other: base64 of `04:User{id}` for users, `012:Organization{id}` for organizations and `010:Repository{id}` for repositories (GitHub's
 * legacy id format, which its GraphQL API still accepts).
 */
import { nodeId as restNodeId } from '../api/github-json.ts';

export type NodeKind = 'User' | 'Organization' | 'Repository';

const PREFIX: Record<NodeKind, string> = { User: '04:User', Organization: '012:Organization', Repository: '010:Repository' };

export function nodeId(kind: NodeKind, databaseId: number): string {
  return restNodeId(kind, databaseId);
}

/** The kind and database id behind a node id, or undefined for anything Tessera did not issue. */
export function parseNodeId(id: string): { kind: NodeKind; databaseId: number } | undefined {
  if (id.length > 64 || !/^[A-Za-z0-9+/]+={0,2}$/.test(id)) return undefined;
  const decoded = Buffer.from(id, 'base64').toString('utf8');
  for (const kind of Object.keys(PREFIX) as NodeKind[]) {
    const match = new RegExp(`^${PREFIX[kind]}([1-9][0-9]{0,14})$`).exec(decoded);
    if (match) return { kind, databaseId: Number(match[1]) };
  }
  return undefined;
}
