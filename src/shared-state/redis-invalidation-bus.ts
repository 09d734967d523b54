/**
 * Invalidations through Redis pub/sub. A second connection subscribes (a subscribed connection can do nothing else).
 * While it is not subscribed (Redis down, reconnecting) messages may be lost, so the bus says it is not reliable;
 * once subscribed again it tells its listeners to drop everything (INVALIDATE_ALL), since what they hold may be stale.
 */
import type { Redis } from 'ioredis';
import { INVALIDATE_ALL, type InvalidationBus } from '../domain/shared-state.ts';

export function createRedisInvalidationBus(publisher: Redis, subscriber: Redis, channel: string): InvalidationBus & { ready: Promise<void> } {
  const listeners: Array<(message: string) => void> = [];
  const deliver = (message: string) => {
    for (const listener of listeners) listener(message);
  };
  let reliable = false;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => { markReady = resolve; });

  const subscribe = () => {
    subscriber.subscribe(channel).then(() => {
      reliable = true;
      deliver(INVALIDATE_ALL);
      markReady();
    }, () => { reliable = false; });
  };
  subscriber.on('message', (from: string, message: string) => {
    if (from === channel) deliver(message);
  });
  subscriber.on('ready', subscribe);
  for (const event of ['close', 'end', 'reconnecting', 'error']) subscriber.on(event, () => { reliable = false; });
  if (subscriber.status === 'ready') subscribe();

  return {
    async publish(message) {
      deliver(message);
      await publisher.publish(channel, message);
    },
    subscribe(listener) {
      listeners.push(listener);
    },
    isReliable: () => reliable,
    ready,
  };
}
