/**
 * The package's command, `npx apideck-webhooks <command>`: the operator's
 * side of the product (set it up after `cdk deploy`, recover an outage from
 * Apideck's event log, replay a FIFO archive, read a logged stack, price a
 * template). Bundled with its dependencies into `dist/cli/index.mjs` when the
 * package is built; in this repository `npm run setup|reconcile|replay|trace-stack|cost -- ...`
 * runs the same from source.
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { runCost } from './cost/run.ts';
import { runReconcile } from './reconcile/run.ts';
import { runReplay } from './replay/run.ts';
import { setupProcess } from './setup/process.ts';
import { traceStackProcess } from './trace-stack.ts';

const USAGE = `usage: npx apideck-webhooks <command> [options]   (<command> --help for its options)

  setup       store the API key, register the webhook with Apideck, prove it with a signed ping
  reconcile   publish the events Apideck logged but the receiver never published
  replay      replay a time range of a FIFO topic's archive to one subscription
  trace-stack map a stack trace the function logged to source lines (reads standard input)
  cost        price a synthesized template: a month idle, per million deliveries, at a volume`;

/** What a command printed, for the commands that return their lines. */
interface Printed {
  readonly exitCode: number;
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
}

function print(result: Printed): number {
  for (const line of result.stdout) process.stdout.write(`${line}\n`);
  for (const line of result.stderr) process.stderr.write(`${line}\n`);
  return result.exitCode;
}

async function replay(argv: readonly string[]): Promise<number> {
  const clients: SNSClient[] = [];
  try {
    return print(
      await runReplay(argv, (region) => {
        const client = new SNSClient({ region });
        clients.push(client);
        return client;
      }),
    );
  } finally {
    for (const client of clients) client.destroy();
  }
}

const [command, ...rest] = process.argv.slice(2);
switch (command) {
  case 'setup':
    process.exitCode = await setupProcess(rest);
    break;
  case 'reconcile':
    process.exitCode = print(await runReconcile(rest, process.env));
    break;
  case 'replay':
    process.exitCode = await replay(rest);
    break;
  case 'trace-stack':
    process.exitCode = await traceStackProcess(rest);
    break;
  case 'cost':
    process.exitCode = print(runCost(rest));
    break;
  default:
    console.error(USAGE);
    process.exitCode = command === undefined || command === '--help' ? 0 : 2;
}
