/**
 * One "Lambda container" of the local pipeline, as a process of its own: the
 * real handler (`lambda/handler.ts`, imported after the environment is set, as
 * at a cold start) behind the dev server's API Gateway stand-in
 * (`tools/emulator/api-gateway/server.ts`, as `npm run dev` uses it). The reliability scenarios start it with the handler's
 * environment pointing at the fault proxy, kill it with SIGKILL to simulate a
 * Lambda dying mid-invocation, and start a fresh one on the same resources.
 *
 * Arguments: the function timeout in ms that the stand-in enforces and counts
 * the remaining time from (default 10 000, as deployed), and the kind of API it
 * plays (`rest`, the default, or `http`). Environment: the
 * handler's (see `lambda/contract/environment.ts`) and the AWS SDK's.
 *
 * Once it listens it sends `{ ready: <webhook URL> }` over the IPC channel.
 * stdout: the handler's own lines (request logs, EMF); stderr: the stand-in's.
 * SIGTERM closes the server and exits 0; so does the end of the channel.
 */
import type { ApiGatewayHandler } from '../../../lambda/http/api-gateway-handler.ts';
import { parseApiKind } from '../../../tools/emulator/api-gateway/kinds.ts';
import { FUNCTION_TIMEOUT_MS, startDevServer } from '../../../tools/emulator/api-gateway/server.ts';

const timeoutMs = Number(process.argv[2] ?? FUNCTION_TIMEOUT_MS);
if (!Number.isInteger(timeoutMs) || timeoutMs < 100) {
  throw new Error('the function timeout must be a whole number of ms (100 or more)');
}
const apiKind = parseApiKind(process.argv[3], 'the API kind argument');
const { handler } = (await import('../../../lambda/handler.ts')) as { handler: ApiGatewayHandler };
const server = await startDevServer({
  handler,
  port: 0,
  host: '127.0.0.1',
  log: (line) => process.stderr.write(`${line}\n`),
  functionTimeoutMs: timeoutMs,
  apiKind,
});
process.send?.({ ready: server.webhookUrl });

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  server.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
// Never outlive the scenario that started it: a crashed test runner sends no signal, but its end closes the channel.
process.on('disconnect', stop);
