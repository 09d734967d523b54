/**
 * The request log: one line per request, when answered, with method, path, client address, status and response
 * time. Headers (Authorization, cookies) are never serialised, and the query string is cut off because one-time
 * links (email verification) carry secrets.
 *
 * It is on every request's path, so it is kept cheap: the line is made as text (requestLine), and lines are written
 * to stdout asynchronously, many in one write. request-logger.ts decides when a request's line is written.
 */
import pino, { type DestinationStream, type Logger } from 'pino';

interface LoggedRequest {
  method: string;
  url: string;
  ip?: string | undefined;
}

/** The path without the query: one-time links (email verification) carry secrets in it. */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query < 0 ? url : url.slice(0, query);
}

/** A request in a log line: method, path without the query, client address. */
function serializeRequest(request: LoggedRequest) {
  return { method: request.method, path: pathOf(request.url), remoteAddress: request.ip };
}

/** A response in a log line: its status. */
function serializeResponse(response: { statusCode: number }) {
  return { statusCode: response.statusCode };
}

/** Settings for the app's pino logger (no formatters, mixins or hooks: see requestLine). */
export function loggerOptions(level: string) {
  return {
    level,
    serializers: { req: serializeRequest, res: serializeResponse, err: pino.stdSerializers.err },
  };
}

/** The app's logger: to stdout, or to the stream given (a test's, or asyncStdoutDestination). */
export function createLogger(level: string, stream?: DestinationStream): Logger {
  return pino(loggerOptions(level), stream);
}

const {
  chindingsSym, formattersSym, hooksSym, levelValSym, lsCacheSym, messageKeySym, mixinSym, nestedKeySym, needsMetadataGsym,
  serializersSym, streamSym, timeSym,
} = pino.symbols;
type PinoInternals = Record<symbol, any>;
const INFO = 30;

/** Whether requestLine writes what pino itself would for this logger: made by loggerOptions, nothing added since. */
const plainLoggers = new WeakMap<object, boolean>();
function writesPlainLines(logger: PinoInternals): boolean {
  let plain = plainLoggers.get(logger);
  if (plain === undefined) plainLoggers.set(logger, plain = isPlain(logger));
  return plain;
}

function isPlain(logger: PinoInternals): boolean {
  return logger[serializersSym]?.req === serializeRequest && !logger[mixinSym] && !logger[formattersSym].log
    && !logger[hooksSym].streamWrite && logger[messageKeySym] === 'msg' && !logger[nestedKeySym]
    && logger[streamSym][needsMetadataGsym] !== true && typeof logger[lsCacheSym][INFO] === 'string';
}

const json = (value: string) => JSON.stringify(value);

/** pino's default `,"time":<ms>`, made once per millisecond: under load many lines share one. */
let timeMs = 0;
let timeField = '';
function timeOf(logger: PinoInternals): string {
  if (logger[timeSym] !== pino.stdTimeFunctions.epochTime) return logger[timeSym]();
  const now = Date.now();
  if (now !== timeMs) {
    timeMs = now;
    timeField = `,"time":${now}`;
  }
  return timeField;
}

/**
 * "request completed" as pino writes `logger.info({ reqId, req, res, responseTime }, 'request completed')` with
 * loggerOptions' serializers, field for field and in the same order (request-log.test.ts compares the two), without
 * pino's walk over an object of objects: it was a tenth of what a request cost. The request id (request-id.ts) and
 * the method (Node's parser takes only known methods) need no escaping; the path and the address are escaped.
 */
export function requestLine(logger: PinoInternals, reqId: string, request: LoggedRequest, statusCode: number, responseTime: number): string {
  const address = request.ip;
  return `${logger[lsCacheSym][INFO]}${timeOf(logger)}${logger[chindingsSym]},"reqId":"${reqId}","req":{"method":"${request.method}"`
    + `,"path":${json(pathOf(request.url))}${address === undefined ? '' : `,"remoteAddress":${json(address)}`}}`
    + `,"res":{"statusCode":${statusCode}},"responseTime":${Number.isFinite(responseTime) ? responseTime : null},"msg":"request completed"}\n`;
}

/**
 * Writes the request's line to `logger`'s destination as pino would (if its level lets info through) and says true;
 * false when `logger` is not one requestLine can speak for, and the caller must log through pino.
 */
export function writeRequestLine(logger: object, reqId: string, request: LoggedRequest, statusCode: number, responseTime: number): boolean {
  const pinoLogger = logger as PinoInternals;
  if (!writesPlainLines(pinoLogger)) return false;
  if (pinoLogger[levelValSym] <= INFO) pinoLogger[streamSym].write(requestLine(pinoLogger, reqId, request, statusCode, responseTime));
  return true;
}

export interface BatchedDestination {
  write(line: string): void;
  /** Writes what is waiting, synchronously: call before the process exits. */
  flushSync(): void;
}

/** Lines wait at most this long before they are written… */
const FLUSH_AFTER_MS = 50;
/** …or until this many characters wait, whichever comes first. */
const FLUSH_AT_LENGTH = 64 * 1024;

/**
 * stdout for `tessera serve`, written asynchronously: a synchronous write per line was a sixth of a request's cost,
 * an asynchronous write per line still a fifth of what was left, and a write per turn of the event loop 8% of a
 * request under load. Lines wait in memory for FLUSH_AFTER_MS (or until FLUSH_AT_LENGTH characters wait), so that
 * under load one write carries hundreds; a line is never later than that, and flushSync writes what waits at exit.
 */
export function asyncStdoutDestination(): BatchedDestination {
  const stdout = pino.destination({ dest: 1, sync: false });
  let waiting = '';
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const lines = waiting;
    waiting = '';
    if (lines !== '') stdout.write(lines);
  };
  return {
    write(line) {
      waiting += line;
      if (waiting.length >= FLUSH_AT_LENGTH) flush();
      else timer ??= setTimeout(flush, FLUSH_AFTER_MS).unref();
    },
    flushSync() {
      if (timer) clearTimeout(timer);
      timer = undefined;
      stdout.flushSync();
      // At exit an asynchronous write would never finish (handed to the stream, the last lines were lost): what
      // waits goes out synchronously, after what the stream held.
      if (waiting !== '') pino.destination({ dest: 1, sync: true }).write(waiting);
      waiting = '';
    },
  };
}
