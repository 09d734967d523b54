/** With TESSERA_SMTP_URL set, mail goes over SMTP (to a real SMTP server on 127.0.0.1) instead of the outbox. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { loadConfig } from '../../src/config/config.ts';
import { signUp } from '../../src/domain/accounts.ts';
import { outboxDirOf } from '../../src/mail/mailer.ts';
import { createDeps, openMigratedStore } from '../../src/runtime.ts';
import { startSmtpCapture } from '../helpers/smtp.ts';
import { createTestStore } from '../helpers/store.ts';

test('the verification email is sent over SMTP when TESSERA_SMTP_URL is set', async (t) => {
  const { url: smtpUrl, received } = await startSmtpCapture(t);

  const store = await createTestStore(t);
  const config = loadConfig({
    TESSERA_SMTP_URL: smtpUrl,
    TESSERA_MAIL_FROM: 'Tessera <tokens@tessera.test>',
    ...(store.databaseUrl && { TESSERA_DATABASE_URL: store.databaseUrl }),
  }, { dataDir: store.dataDir });
  const db = await openMigratedStore(config);
  t.after(() => db.destroy());
  const result = await signUp(createDeps(config, db), { username: 'mailuser', email: 'mailuser@example.test', password: 'a long enough password' });
  assert.ok(result.ok);

  assert.equal(received.length, 1);
  assert.equal(received[0]!.from, 'tokens@tessera.test');
  assert.deepEqual(received[0]!.to, ['mailuser@example.test']);
  assert.match(received[0]!.data, /Subject: \[Tessera\] Please verify your email address/);
  assert.match(received[0]!.data.replace(/=\r?\n/g, ''), /\/verify-email\?token=/);
  assert.deepEqual(await readdir(outboxDirOf(store.dataDir)).catch(() => []), [], 'nothing is written to the outbox');
});
