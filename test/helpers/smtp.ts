/** A real SMTP server on 127.0.0.1 that keeps every message it receives; closed when the test ends. */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { TestContext } from 'node:test';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  /** The message as sent: headers and body. */
  data: string;
}

export async function startSmtpCapture(t: TestContext): Promise<{ url: string; received: ReceivedMail[] }> {
  const received: ReceivedMail[] = [];
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, callback) {
      let data = '';
      stream.setEncoding('utf8').on('data', (chunk: string) => { data += chunk; });
      stream.on('end', () => {
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          data,
        });
        callback();
      });
    },
  });
  smtp.listen(0, '127.0.0.1');
  await once(smtp.server, 'listening');
  t.after(() => new Promise<void>((resolve) => smtp.close(() => resolve())));
  const address = smtp.server.address();
  assert.ok(address && typeof address === 'object');
  return { url: `smtp://127.0.0.1:${address.port}`, received };
}
