/**
 * The request log: one line per request, when answered, with method, path, client address, status and response
 * time. Headers (Authorization, cookies) are never serialised, and the query string is cut off because one-time
 * links (email verification) carry secrets.
 *
 * It is on every request's path, so it is kept cheap: no per-request child logger unless a handler logs something
 * itself (the line carries the request id as the child's would, in the same place), and lines are written to stdout
 * asynchronously, those finished within one turn of the event loop in one write.
 */
import { LogController, type FastifyBaseLogger, type FastifyReply, type FastifyRequest } from 'fastify';
import pino from 'pino';
import type { Bindings, ChildLoggerOptions } from 'fastify/types/logger.js';

export function loggerOptions(level: string, stream?: { write(line: string): void }) {
  return {
    level,
    ...(stream && { stream }),
    serializers: {
      req: (request: { method: string; url: string; ip?: string }) => ({
        method: request.method, path: request.url.split('?')[0], remoteAddress: request.ip,
      }),
    },
  };
}

export interface BatchedDestination {
  write(line: string): void;
  /** Writes what is waiting, synchronously: call before the process exits. */
  flushSync(): void;
}

/**
 * stdout for `tessera serve`, written asynchronously: a synchronous write per line was a sixth of a request's cost,
 * and an asynchronous write per line still a fifth of what was left. Lines wait in memory until the end of the
 * current turn of the event loop (under load, one write carries many) and while the previous write is in progress.
 */
export function asyncStdoutDestination(): BatchedDestination {
  const stdout = pino.destination({ dest: 1, sync: false });
  let waiting = '';
  const flush = () => {
    const lines = waiting;
    waiting = '';
    if (lines !== '') stdout.write(lines);
  };
  return {
    write(line) {
      if (waiting === '') setImmediate(flush);
      waiting += line;
    },
    flushSync() {
      flush();
      stdout.flushSync();
    },
  };
}

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
   * The request's line, through the parent when the child would be the parent plus its bindings (no level or
   * serializers of the route's own): the same JSON, since a child's bindings come first.
   */
  completed(fields: { req: FastifyRequest; res: FastifyReply; responseTime: number }): void {
    if (this.#child || this.#options.level !== undefined || this.#options.serializers !== undefined) this.#logger.info(fields, 'request completed');
    else this.#parent.info({ ...this.#bindings, ...fields }, 'request completed');
  }
}

export function requestLoggerFactory(this: unknown, logger: FastifyBaseLogger, bindings: Bindings, options: ChildLoggerOptions): FastifyBaseLogger {
  return new RequestLogger(logger, bindings, options) as unknown as FastifyBaseLogger;
}

/**
 * One line per request instead of Fastify's two ("incoming request", "request completed"): the request's own
 * fields ride on the completion line. Errors are logged as Fastify does.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    if (error) reply.log.error({ req: request, res: reply, err: error, responseTime: reply.elapsedTime }, 'request errored');
    else if (reply.log instanceof RequestLogger) reply.log.completed({ req: request, res: reply, responseTime: reply.elapsedTime });
    else reply.log.info({ req: request, res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
