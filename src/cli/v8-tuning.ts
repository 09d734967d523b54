/**
 * V8 tuned for a server (the flags in v8-flags.ts): imported first by main.ts, before any other module allocates.
 * Each flag was measured on GET /api/v3/user with autocannon (SQLite, 32 connections).
 *
 * `--no-allocation-site-pretenuring`: pretenuring lets V8 decide, from one young-generation collection in which most
 * objects of an allocation site survived, to allocate that site's objects straight in the old generation from then on.
 * A server meets that case in its first second under load (the young generation starts at 1 MB, while dozens of
 * requests are in flight), and the decision sticks: every request's transient objects (Node's header strings, the
 * request and response objects, ticks) were then made in the old generation. It happens in some runs and not others.
 * In a run where it happened: 6.7 KB promoted per request, a 13 ms scavenge every 85 ms, a full collection every
 * second, 20,800 requests/s and p99 13 ms; with pretenuring off, in every run: nothing promoted, 1.2 ms scavenges, no
 * full collection, 25,500–27,000 requests/s, p99 2–3 ms. Objects that do live long (caches, compiled templates) are
 * promoted by the scavenger as usual.
 *
 * `--fast-properties-soft-limit=32`: an object that gets more than 12 properties beyond its first few through keyed
 * stores (`object[name] = value`) becomes a dictionary. Fastify keeps a reply's headers in such an object, and an API
 * answer carries 22 of GitHub's headers: from the 20th on, every answer built a dictionary, and Fastify and Node then
 * read it the slow way (making and walking 22 headers: 1,400 ns as a dictionary, 240 ns kept fast). Raised to 32, the
 * headers stay a fast object: `tessera serve` went from 41,900 to 47,000 requests/s (bench/api-overhead, fresh
 * processes); the bare Fastify route gains 9% from the same flag.
 */
import { setFlagsFromString } from 'node:v8';
import { V8_FLAGS } from './v8-flags.ts';

for (const flag of V8_FLAGS) setFlagsFromString(flag);
