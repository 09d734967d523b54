import type {
  KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryId, QueryResult, RootOperationNode, UnknownRow,
} from 'kysely';

/**
 * A Kysely plugin that runs something between the next SELECT's read and its answer: a change that commits and is
 * announced while a read's answer is on its way. What it runs must not query the store (SQLite's one connection is
 * still the read's).
 */
export class OvertakenReads implements KyselyPlugin {
  #next: (() => Promise<void>) | undefined;
  #reads = new Map<QueryId, () => Promise<void>>();

  /** Runs `overtake` once the next SELECT has read the store, before its answer comes back. */
  overtakeNext(overtake: () => Promise<void>): void {
    this.#next = overtake;
  }

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.#next && args.node.kind === 'SelectQueryNode') {
      this.#reads.set(args.queryId, this.#next);
      this.#next = undefined;
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const overtake = this.#reads.get(args.queryId);
    this.#reads.delete(args.queryId);
    if (overtake) await overtake();
    return args.result;
  }
}
