import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { test } from 'node:test';
import pino from 'pino';
import { loggerOptions, requestLine } from './request-log.ts';

/** A logger made as the app makes it, with a fixed clock so two lines can be compared byte for byte. */
function capturingLogger() {
  const lines: string[] = [];
  const logger = pino({ ...loggerOptions('info'), timestamp: () => ',"time":1764115200000' }, { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

const cases: ReadonlyArray<[string, { method: string; url: string; ip?: string }, number, number]> = [
  ['a plain request', { method: 'GET', url: '/api/v3/user', ip: '127.0.0.1' }, 200, 1.2345678],
  ['the query is cut off (one-time links carry secrets)', { method: 'GET', url: '/verify?token=s3cret&x=1', ip: '::1' }, 302, 0.5],
  ['quotes, backslashes, control characters and non-ASCII in the path', { method: 'POST', url: '/a"b\\c\u0001\u2028é', ip: '2001:db8::1' }, 404, 12],
  ['no client address (the socket is gone)', { method: 'DELETE', url: '/x' }, 499, 3],
  ['a response time that is not a number', { method: 'GET', url: '/y', ip: '192.0.2.1' }, 500, Number.NaN],
];

for (const [name, request, statusCode, responseTime] of cases) {
  test(`the request line is pino's own: ${name}`, () => {
    const { logger, lines } = capturingLogger();
    logger.child({ reqId: 'AB12:CD34:EF5678:90AB12:34CDEF56' }).info({ req: request, res: { statusCode }, responseTime }, 'request completed');
    assert.equal(requestLine(logger as never, 'AB12:CD34:EF5678:90AB12:34CDEF56', request, statusCode, responseTime), lines[0]);
  });
}

test("the request line with pino's default clock: the time field as pino writes it", () => {
  const lines: string[] = [];
  const logger = pino(loggerOptions('info'), { write: (line: string) => void lines.push(line) });
  const request = { method: 'GET', url: '/api/v3/user', ip: '127.0.0.1' };
  const before = Date.now();
  const line = requestLine(logger as never, 'AB12:CD34:EF5678:90AB12:34CDEF56', request, 200, 1);
  logger.child({ reqId: 'AB12:CD34:EF5678:90AB12:34CDEF56' }).info({ req: request, res: { statusCode: 200 }, responseTime: 1 }, 'request completed');
  const time = Number(/"time":(\d+),/.exec(line)![1]);
  assert.ok(time >= before && time <= Date.now());
  assert.equal(line.replace(/"time":\d+/, '"time":0'), lines[0]!.replace(/"time":\d+/, '"time":0'));
});

test('stdout gets every line whole and in order, long and non-ASCII ones included, and the lines still waiting at exit', async () => {
  const lines = [
    ...Array.from({ length: 3000 }, (_, i) => `{"n":${i},"path":"/répertoire/${'x'.repeat(i % 50)}"}\n`),
    `{"long":"${'é'.repeat(70_000)}"}\n`,
    '{"last":"written by flushSync at exit, before its 50 ms are up"}\n',
  ];
  const script = `
    import { asyncStdoutDestination } from ${JSON.stringify(new URL('./request-log.ts', import.meta.url).href)};
    const destination = asyncStdoutDestination();
    process.once('exit', () => destination.flushSync());
    for (const line of ${JSON.stringify(lines)}) destination.write(line);
  `;
  // The script goes in on stdin: with its lines it is longer than a command line may be.
  const stdout = await new Promise<string>((resolve, reject) => {
    const child = execFile(process.execPath, ['--input-type=module'], { maxBuffer: 16 * 1024 * 1024 }, (error, out) => (error ? reject(error) : resolve(out)));
    child.stdin!.end(script);
  });
  assert.equal(stdout, lines.join(''));
});
