/**
 * Who logs for a request, and when its line is written.
 *
 * Fastify's own logger is off: with it on, every response got two listeners (`finish`, `error`) and a closure to
 * time it and call the log controller: `tessera serve` answered GET /api/v3/user about 6% slower with them (median
 * of eight alternating rounds against the same tree without them, fresh processes each round). Instead:
 * - each request's `request.log` (and `reply.log`) is a RequestLogger over the app's logger, made by Fastify's
 *   childLoggerFactory, which Fastify calls even with its logger off; it makes pino's child (the request id bound)
 *   only when a handler logs something itself;
 * - the line is written when the response ends: the server's responses are LoggedResponse (Node's ServerResponse
 *   with an `end` that writes it), linked to their request by the first onRequest hook. A response made elsewhere
 *   (`inject` in tests) gets its line from a `finish` listener.
 * A response that never ends (the client went away mid-stream) has no line, as with Fastify's listeners.
 */
import { ServerResponse, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyRequest } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'fastify/types/logger.js';
import { writeRequestLine } from './request-log.ts';

/** Makes the request's child logger only when something logs through it: most requests only need their one line. */
class RequestLogger {
  readonly #parent: FastifyBaseLogger;
  readonly #bindings: Bindings;
  readonly #options: ChildLoggerOptions;
  #child: FastifyBaseLogger | undefined;

  constructor(parent: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions) {
    this.#parent = parent;
    this.#bindings = bindings;
    this.#options = options;
  }

  get #logger(): FastifyBaseLogger {
    return this.#child ??= this.#parent.child(this.#bindings, this.#options);
  }

  get level() { return this.#logger.level; }
  set level(level) { this.#logger.level = level; }
  fatal(...args: Parameters<FastifyBaseLogger['fatal']>) { this.#logger.fatal(...args); }
  error(...args: Parameters<FastifyBaseLogger['error']>) { this.#logger.error(...args); }
  warn(...args: Parameters<FastifyBaseLogger['warn']>) { this.#logger.warn(...args); }
  info(...args: Parameters<FastifyBaseLogger['info']>) { this.#logger.info(...args); }
  debug(...args: Parameters<FastifyBaseLogger['debug']>) { this.#logger.debug(...args); }
  trace(...args: Parameters<FastifyBaseLogger['trace']>) { this.#logger.trace(...args); }
  silent(...args: Parameters<FastifyBaseLogger['silent']>) { this.#logger.silent(...args); }
  child(bindings: Bindings, options?: ChildLoggerOptions) { return this.#logger.child(bindings, options); }

  /**
   * The request's line, written straight to the parent's destination when the child would be the parent plus its
   * bindings (no level or serializers of the route's own): the same JSON, since a child's bindings come first.
   */
  completed(request: FastifyRequest, statusCode: number, responseTime: number): void {
    const reqId = this.#bindings.reqId;
    const plain = !this.#child && typeof reqId === 'string' && this.#options.level === undefined && this.#options.serializers === undefined;
    if (!plain || !writeRequestLine(this.#parent, reqId, request, statusCode, responseTime)) {
      this.#logger.info({ req: request, res: { statusCode }, responseTime }, 'request completed');
    }
  }
}

/** Fastify's childLoggerFactory: every request's logger is a RequestLogger over `logger`, whatever Fastify passes. */
export function requestLoggerFactory(logger: FastifyBaseLogger) {
  return (_fastifyLogger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger =>
    new RequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}

function writeLine(request: FastifyRequest, statusCode: number, responseTime: number): void {
  if (request.log instanceof RequestLogger) request.log.completed(request, statusCode, responseTime);
}

const loggedRequest = Symbol('loggedRequest');

/** Node's response for the server: writes its request's line when it ends. */
export class LoggedResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  readonly startedAt = performance.now();
  [loggedRequest]: FastifyRequest | undefined = undefined;

  override end(chunk?: unknown, encoding?: unknown, callback?: unknown): this {
    const first = !this.writableEnded;
    super.end(chunk as never, encoding as never, callback as never);
    const request = this[loggedRequest];
    if (first && request) writeLine(request, this.statusCode, performance.now() - this.startedAt);
    return this;
  }
}

/**
 * One line per request instead of Fastify's two ("incoming request", "request completed"), written by the response
 * (see above) rather than from Fastify's listeners. Errors are logged as Fastify does, through `reply.log`.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}
  override requestCompleted(): void {}
}

/**
 * Makes `logger` the app's (`app.log`) and links each response to its request for its line: call it right after
 * Fastify is made, before any hook that may answer.
 */
export function registerRequestLog(app: FastifyInstance, logger: FastifyBaseLogger): void {
  app.log = logger;
  app.addHook('onRequest', (request, reply, done) => {
    const response = reply.raw;
    if (response instanceof LoggedResponse) response[loggedRequest] = request;
    else {
      const startedAt = performance.now();
      response.once('finish', () => writeLine(request, response.statusCode, performance.now() - startedAt));
    }
    done();
  });
}
