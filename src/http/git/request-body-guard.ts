/**
 * What stands between a Git request body and git's standard input: a count of the bytes (after gzip is undone, so a
 * small gzip bomb cannot feed git unbounded data) and an idle timer (a client that starts a body and then sends
 * nothing would otherwise hold a git process for ever). The timer only runs while the body is still arriving: a
 * long push that keeps flowing is never cut, and git's own work afterwards is the connection timeout's business.
 */
import { Transform } from 'node:stream';

export type BodyGuardFailure = 'too_large' | 'idle';

export interface BodyGuardOptions {
  /** Most bytes passed on; 0 means no limit. */
  maxBytes: number;
  /** Longest silence while the body arrives; 0 means none. */
  idleTimeoutMs: number;
  /** Called once; the guard then ends its output and discards the rest of the body. */
  onFailure(reason: BodyGuardFailure): void;
}

export function guardRequestBody(options: BodyGuardOptions): Transform {
  let bytes = 0;
  let timer: NodeJS.Timeout | undefined;
  /** True while git has not taken what it was given: the wait is then git's, not the client's, and is not timed. */
  let waitingForGit = false;
  let ended = false;
  let failed = false;
  /**
   * The guard does not fail as a stream: that would destroy the request, and with it the socket, before the
   * refusal could be sent. It ends git's input instead and swallows whatever else comes, until the server closes
   * the connection after its answer.
   */
  const fail = (reason: BodyGuardFailure) => {
    clearTimeout(timer);
    if (failed || ended) return;
    failed = true;
    ended = true;
    options.onFailure(reason);
    guard.push(null);
  };
  const arm = () => {
    if (options.idleTimeoutMs <= 0 || ended) return;
    clearTimeout(timer);
    timer = setTimeout(() => fail('idle'), options.idleTimeoutMs);
    timer.unref();
  };
  const guard = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (failed) return callback();
      bytes += chunk.length;
      if (options.maxBytes > 0 && bytes > options.maxBytes) {
        fail('too_large');
        return callback();
      }
      callback(null, chunk);
      waitingForGit = guard.readableLength >= guard.readableHighWaterMark;
      if (waitingForGit) clearTimeout(timer);
      else arm();
    },
    flush(callback) {
      ended = true;
      clearTimeout(timer);
      // After a failure the output has already ended; a second end would be an error.
      callback();
    },
    destroy(error, callback) {
      clearTimeout(timer);
      callback(error);
    },
  });
  const read = guard._read.bind(guard);
  guard._read = (size) => {
    if (waitingForGit) {
      waitingForGit = false;
      arm();
    }
    read(size);
  };
  arm();
  return guard;
}
