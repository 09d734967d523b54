import type {
  KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow,
} from 'kysely';

/** A Kysely plugin that counts the queries (and UPDATEs) reaching the store, and can fail the next UPDATEs. */
export class QueryCounter implements KyselyPlugin {
  queries = 0;
  updates = 0;
  failNextUpdates = 0;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.queries += 1;
    if (args.node.kind === 'UpdateQueryNode') {
      if (this.failNextUpdates > 0) {
        this.failNextUpdates -= 1;
        throw new Error('simulated store failure');
      }
      this.updates += 1;
    }
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}
