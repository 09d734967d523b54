/**
 * True when a database error means the store cannot answer right now (server down, restarting, connection lost, a
 * lock held past the busy timeout), not that the query or its data is wrong. The HTTP edge answers these with 503
 * and Retry-After instead of 500, so clients and load balancers retry instead of reporting a bug; see
 * src/http/plugins/errors.ts. Anything not recognised here stays a 500: a real bug must not hide behind "try later".
 */

/** Socket errors from connecting to or talking with a PostgreSQL server that is not there (any more). */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATEs (appendix A of its manual): 57P01 admin_shutdown (fast stop or restart), 57P02
 * crash_shutdown, 57P03 cannot_connect_now (starting up or shutting down), 53300 too_many_connections; the whole of
 * class 08 (connection_exception: 08000, 08003, 08006, …) is checked separately.
 */
const POSTGRES_CODES = new Set(['57P01', '57P02', '57P03', '53300']);

/** What node-postgres and pg-pool say, without a code, when a connection breaks or cannot be had in time. */
const POSTGRES_CLIENT_MESSAGES = [
  /^Connection terminated/, // 'Connection terminated', '… unexpectedly', '… due to connection timeout'
  /^timeout exceeded when trying to connect$/, // pg-pool's connectionTimeoutMillis
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
];

/** SQLite's primary result code SQLITE_BUSY; the extended codes (BUSY_RECOVERY, BUSY_SNAPSHOT, …) keep it in the low byte. */
const SQLITE_BUSY = 5;

function isUnavailableError(error: object): boolean {
  const { code, errcode, message } = error as { code?: unknown; errcode?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || POSTGRES_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (typeof errcode === 'number' && (errcode & 0xff) === SQLITE_BUSY) return true;
  return typeof message === 'string' && POSTGRES_CLIENT_MESSAGES.some((pattern) => pattern.test(message));
}

export function isStoreUnavailable(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  if (isUnavailableError(error)) return true;
  // Connecting to a name with several addresses fails as an AggregateError of one error per address; pg-pool wraps
  // its connection timeout's reason in `cause`.
  const { errors, cause } = error as { errors?: unknown; cause?: unknown };
  if (Array.isArray(errors) && errors.length > 0 && errors.every((inner) => isStoreUnavailable(inner, depth + 1))) return true;
  return isStoreUnavailable(cause, depth + 1);
}
