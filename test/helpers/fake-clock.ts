import type { Clock } from '../../src/domain/deps.ts';

export type FakeClock = Clock & { set(date: Date): void; advance(ms: number): void };

/** A clock a test moves by hand. */
export function fakeClock(start = new Date('2026-11-25T10:00:00.000Z')): FakeClock {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    set: (date) => { now = date.getTime(); },
    advance: (ms) => { now += ms; },
  };
}
