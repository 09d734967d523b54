/** Invalidations within one process: there is no other process to tell, so delivery is always sure. */
import type { InvalidationBus } from '../domain/shared-state.ts';

export function createMemoryInvalidationBus(): InvalidationBus {
  const listeners: Array<(message: string) => void> = [];
  return {
    async publish(message) {
      for (const listener of listeners) listener(message);
    },
    subscribe(listener) {
      listeners.push(listener);
    },
    isReliable: () => true,
  };
}
