/**
 * One progress line on standard error for long table copies ("users 1,200/1,200, tokens 3,400/3,400, …"), so a
 * large install does not look hung. On a terminal the line is rewritten in place; elsewhere (a log, a pipe) a new
 * line is written at most once a second, so logs stay short.
 */
const FORMAT = new Intl.NumberFormat('en-US');
const TERMINAL_INTERVAL_MS = 100;
const LOG_INTERVAL_MS = 1000;

/** What a user calls each table. */
const LABELS: Record<string, string> = {
  owners: 'logins',
  users: 'users',
  organizations: 'organizations',
  organization_memberships: 'memberships',
  email_verifications: 'email verifications',
  personal_access_tokens: 'tokens',
  token_uses: 'token uses',
  security_events: 'security log events',
  repositories: 'repositories',
  web_sessions: 'web sessions',
  password_resets: 'password reset links',
};

export interface Progress {
  advance(table: string, rows: number): void;
  /** Writes the final figures (always) and ends the line. */
  finish(): void;
}

export interface ProgressOutput {
  isTTY?: boolean;
  write(text: string): unknown;
}

export function startProgress(
  verb: string,
  totals: Record<string, number>,
  output: ProgressOutput = process.stderr,
  now: () => number = Date.now,
): Progress {
  const done: Record<string, number> = Object.fromEntries(Object.keys(totals).map((table) => [table, 0]));
  const interval = output.isTTY ? TERMINAL_INTERVAL_MS : LOG_INTERVAL_MS;
  let lastWrite = 0;
  const line = () => `${verb}: ${Object.keys(totals).map((table) => `${tableLabel(table)} ${FORMAT.format(done[table]!)}/${FORMAT.format(totals[table]!)}`).join(', ')}`;
  const write = (final: boolean) => {
    lastWrite = now();
    if (output.isTTY) output.write(`\r${line()}\x1b[K${final ? '\n' : ''}`);
    else output.write(`${line()}\n`);
  };
  write(false);
  return {
    advance(table, rows) {
      done[table] = (done[table] ?? 0) + rows;
      if (now() - lastWrite >= interval) write(false);
    },
    finish() {
      write(true);
    },
  };
}

export function formatCount(count: number): string {
  return FORMAT.format(count);
}

export function tableLabel(table: string): string {
  return LABELS[table] ?? table;
}
