/**
 * V8's garbage collector, tuned for a server: imported first by main.ts, before any other module allocates.
 *
 * Allocation-site pretenuring lets V8 decide, from one young-generation collection in which most objects of an
 * allocation site survived, to allocate that site's objects straight in the old generation from then on. A server
 * meets that case in its first second under load (the young generation starts at 1 MB, while dozens of requests are in
 * flight), and the decision sticks: every request's transient objects (Node's header strings, the request and response
 * objects, ticks) were then made in the old generation. It happens in some runs and not others. Measured with
 * autocannon on GET /api/v3/user (SQLite, 32 connections), in a run where it happened: 6.7 KB promoted per request,
 * a 13 ms scavenge every 85 ms, a full collection every second, 20,800 requests/s and p99 13 ms; with pretenuring
 * off, in every run: nothing promoted, 1.2 ms scavenges, no full collection, 25,500–27,000 requests/s, p99 2–3 ms.
 * Objects that do live long (caches, compiled templates) are promoted by the scavenger as usual.
 */
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-allocation-site-pretenuring');
