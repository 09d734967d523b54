/**
 * Caps the git processes one server process runs at once, in all and per client network, so that a flood of
 * clones (or of connections that start a request and go silent) cannot exhaust processes, memory or file handles.
 * A slot is taken before git is started and given back when it has exited; a request that finds no free slot is
 * refused at once instead of queued, so nothing waits on a client that may never go away.
 *
 * The count is this process's own (each `tessera serve` behind a load balancer has its own cap): it is about this
 * machine's resources, which is why it is not in the shared state.
 */
import { clientNetworkKey } from '../../domain/rate-limits.ts';

export type GitSlot =
  | { ok: true; release(): void }
  | { ok: false; reason: 'server_busy' | 'client_busy' };

export interface GitProcessGate {
  /** A slot for one git process for the client at `address` (grouped by clientNetworkKey: IPv6 by /64). */
  acquire(address: string): GitSlot;
  /** git processes running now (for tests and monitoring). */
  running(): number;
}

/** Limits of 0 mean no limit, like the other limits in the configuration. */
export function createGitProcessGate(limits: { total: number; perClient: number }): GitProcessGate {
  let running = 0;
  const perClient = new Map<string, number>();
  return {
    acquire(address) {
      const client = clientNetworkKey(address);
      const clientRunning = perClient.get(client) ?? 0;
      if (limits.total > 0 && running >= limits.total) return { ok: false, reason: 'server_busy' };
      if (limits.perClient > 0 && clientRunning >= limits.perClient) return { ok: false, reason: 'client_busy' };
      running += 1;
      perClient.set(client, clientRunning + 1);
      let released = false;
      return {
        ok: true,
        release() {
          if (released) return;
          released = true;
          running -= 1;
          const left = (perClient.get(client) ?? 1) - 1;
          if (left > 0) perClient.set(client, left);
          else perClient.delete(client);
        },
      };
    },
    running: () => running,
  };
}
