import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getOperationAST, Kind, parse, type FragmentDefinitionNode } from 'graphql';
import { measureQuery } from './query-cost.ts';
import { githubSchema } from './schema.ts';

function measure(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments[definition.name.value] = definition;
  }
  const result = measureQuery(githubSchema().schema, getOperationAST(document)!, fragments, variables);
  return result.ok ? { cost: result.cost, nodeCount: result.nodeCount } : { type: result.error.extensions.type };
}

/** GitHub's own worked examples ("Rate limits and node limits for the GraphQL API"), and the edges of each limit. */
const CASES: Array<[string, string, Record<string, unknown>, unknown]> = [
  ['GitHub\'s example: 5,101 requests are 51 points, 305,100 nodes',
    '{ viewer { login repositories(first: 100) { edges { node { id issues(first: 50) { edges { node { id labels(first: 60) { edges { node { id name } } } } } } } } } } }',
    {}, { cost: 51, nodeCount: 305_100 }],
  ['a query without connections costs 1', '{ viewer { login } }', {}, { cost: 1, nodeCount: 0 }],
  ['page sizes from variables count', 'query($n: Int!) { viewer { repositories(first: $n) { nodes { name } } } }', { n: 7 }, { cost: 1, nodeCount: 7 }],
  ['totalCount alone needs no page size', '{ viewer { repositories { totalCount } } }', {}, { cost: 1, nodeCount: 0 }],
  ['nodes without a page size are refused', '{ viewer { repositories { nodes { name } } } }', {}, { type: 'MISSING_PAGINATION_BOUNDARIES' }],
  ['a fragment\'s nodes count as well', '{ viewer { repositories { ...names } } } fragment names on RepositoryConnection { nodes { name } }', {}, { type: 'MISSING_PAGINATION_BOUNDARIES' }],
  ['exactly 100 is allowed', '{ viewer { repositories(last: 100) { nodes { name } } } }', {}, { cost: 1, nodeCount: 100 }],
  ['101 is refused', '{ viewer { repositories(last: 101) { nodes { name } } } }', {}, { type: 'EXCESSIVE_PAGINATION' }],
  ['exactly 500,000 nodes is allowed',
    '{ viewer { repositories(first: 50) { nodes { issues(first: 99) { nodes { labels(first: 100) { nodes { name } } } } } } } }',
    {}, { cost: 50, nodeCount: 50 + 4_950 + 495_000 }],
  ['one more node is refused',
    '{ viewer { repositories(first: 50) { nodes { issues(first: 99) { nodes { labels(first: 100) { nodes { name } } } } } } } a: viewer { repositories(first: 1) { nodes { name } } } }',
    {}, { type: 'MAX_NODE_LIMIT_EXCEEDED' }],
];

for (const [name, query, variables, expected] of CASES) {
  test(`query cost: ${name}`, () => {
    assert.deepEqual(measure(query, variables), expected);
  });
}

test('query cost: depth 25 passes, 26 is refused', () => {
  // viewer, then 11 repository/owner pairs (depth 23), then repository (24) and its name (25).
  const pairs = (count: number) => 'repository(name: "x") { owner { '.repeat(count);
  const closing = (count: number) => ' } }'.repeat(count);
  assert.deepEqual(measure(`{ viewer { ${pairs(11)}repository(name: "x") { name }${closing(11)} } }`), { cost: 1, nodeCount: 0 });
  assert.deepEqual(measure(`{ viewer { ${pairs(11)}repository(name: "x") { owner { login } }${closing(11)} } }`), { type: 'MAX_DEPTH_EXCEEDED' });
});
