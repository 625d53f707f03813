/**
 * `setup` as a process: the API key comes from standard input when it is
 * piped, else from a prompt that does not echo, never from argv, so it stays
 * out of shell history and process listings.
 */
import { createInterface } from 'node:readline';
import { runSetup } from './run.ts';

async function readPiped(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    process.stderr.write(prompt);
    // Echo nothing of what is typed.
    (rl as unknown as { _writeToOutput: (text: string) => void })._writeToOutput = () => undefined;
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}

/** Runs setup on `argv`, printing its lines; resolves to the exit code. */
export async function setupProcess(argv: readonly string[]): Promise<number> {
  const result = await runSetup(argv, process.env, {
    readKey: () => (process.stdin.isTTY ? readHidden('Apideck API key: ') : readPiped()),
  });
  for (const line of result.lines) console.log(line);
  return result.exitCode;
}
