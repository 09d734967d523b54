import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createGitProcessGate, type GitSlot } from './git-process-gate.ts';

const taken = (slot: GitSlot) => { assert.ok(slot.ok, 'a slot was expected'); return slot; };

test('per client network: an address gets perClient slots; its IPv6 /64 neighbours share them, others do not', () => {
  const gate = createGitProcessGate({ total: 10, perClient: 2 });
  taken(gate.acquire('2001:db8:1:2::1'));
  taken(gate.acquire('2001:db8:1:2:ffff::9'));
  assert.deepEqual(gate.acquire('2001:db8:1:2:0:0:0:abcd'), { ok: false, reason: 'client_busy' });
  taken(gate.acquire('2001:db8:1:3::1'));
  taken(gate.acquire('192.0.2.1'));
  taken(gate.acquire('::ffff:192.0.2.1'));
  assert.deepEqual(gate.acquire('192.0.2.1'), { ok: false, reason: 'client_busy' }, 'an IPv4-mapped address is its IPv4 address');
  assert.equal(gate.running(), 5);
});

test('in all: the total cap is checked first, and a released slot is free again, once', () => {
  const gate = createGitProcessGate({ total: 2, perClient: 2 });
  const first = taken(gate.acquire('192.0.2.1'));
  taken(gate.acquire('192.0.2.2'));
  assert.deepEqual(gate.acquire('192.0.2.1'), { ok: false, reason: 'server_busy' });
  first.release();
  first.release();
  assert.equal(gate.running(), 1);
  taken(gate.acquire('192.0.2.3'));
  assert.deepEqual(gate.acquire('192.0.2.4'), { ok: false, reason: 'server_busy' });
});

test('limits of 0 are no limits', () => {
  const gate = createGitProcessGate({ total: 0, perClient: 0 });
  for (let i = 0; i < 100; i++) taken(gate.acquire('192.0.2.1'));
  assert.equal(gate.running(), 100);
});
