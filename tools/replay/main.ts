/**
 * `npm run replay -- --subscription <arn> --from <time> [--to <time>] [--dry-run]`:
 * replays a time range of a FIFO topic's archive to one subscription (docs/fifo.md).
 */
import { SNSClient } from '@aws-sdk/client-sns';
import { runReplay } from './run.ts';

const clients: SNSClient[] = [];
const result = await runReplay(process.argv.slice(2), (region) => {
  const client = new SNSClient({ region });
  clients.push(client);
  return client;
});
for (const client of clients) client.destroy();
for (const line of result.stdout) process.stdout.write(`${line}\n`);
for (const line of result.stderr) process.stderr.write(`${line}\n`);
process.exitCode = result.exitCode;
