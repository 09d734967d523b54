/**
 * A secret read from standard input, never from an argument (arguments are visible to every user of the machine in
 * `ps` and kept in shell history). On a terminal it is asked for twice without echo; from a pipe or a file its
 * first line is the secret (`printf '%s\n' "$PASSWORD" | tessera …`).
 */
import { CliError } from './cli-error.ts';

/** Far above any password Tessera accepts; a larger input is not a password. */
const MAX_INPUT_BYTES = 64 * 1024;

interface SecretInput extends NodeJS.ReadableStream {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
}

export async function readSecret(
  what: string,
  input: SecretInput = process.stdin,
  output: { write(text: string): unknown } = process.stderr,
): Promise<string> {
  if (input.isTTY && input.setRawMode) {
    const first = await readHiddenLine(`${what}: `, input, output);
    const second = await readHiddenLine(`${what} again: `, input, output);
    if (first !== second) throw new CliError(`The two entries differ. Run the command again and type the same ${what.toLowerCase()} twice.`);
    return first;
  }
  const text = await readAll(input);
  const line = text.split('\n')[0]!.replace(/\r$/, '');
  if (line === '') throw new CliError(`No ${what.toLowerCase()} on standard input. Pipe it in, for example: printf '%s\\n' "$PASSWORD" | tessera …`);
  return line;
}

async function readAll(input: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += buffer.length;
    if (size > MAX_INPUT_BYTES) throw new CliError('Standard input is too large to be a password: give the password alone, on one line.');
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function readHiddenLine(prompt: string, input: SecretInput, output: { write(text: string): unknown }): Promise<string> {
  output.write(prompt);
  input.setRawMode!(true);
  input.setEncoding('utf8');
  input.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (outcome: () => void) => {
      input.removeListener('data', onData);
      input.setRawMode!(false);
      input.pause();
      output.write('\n');
      outcome();
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish(() => resolve(value));
        if (char === '\u0003') return finish(() => reject(new CliError('Cancelled: nothing was changed.')));
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char >= ' ') value += char;
      }
    };
    input.on('data', onData);
  });
}
