/**
 * One "Lambda container" of the local pipeline, as a process of its own: the
 * real handler (`lambda/handler.ts`, imported after the environment is set, as
 * at a cold start) behind the dev server's API Gateway stand-in
 * (`tools/emulator/api-gateway/server.ts`, as `npm run dev` uses it). The reliability scenarios start it with the handler's
 * environment pointing at the fault proxy, kill it with SIGKILL to simulate a
 * Lambda dying mid-invocation, and start a fresh one on the same resources.
 *
 * Environment: the handler's (see `lambda/contract/environment.ts`), the AWS
 * SDK's, and `RECEIVER_FUNCTION_TIMEOUT_MS` (the function timeout the stand-in
 * enforces and counts the remaining time from; default 10 000, as deployed).
 *
 * stdout: first a line `{"ready":"<webhook URL>"}`, then the
 * handler's own lines (request logs, EMF). stderr: the stand-in's lines.
 * SIGTERM closes the server and exits 0; so does the death of the parent.
 */
import type { ApiGatewayHandler } from '../../../lambda/http/api-gateway-handler.ts';
import { FUNCTION_TIMEOUT_MS, startDevServer } from '../../../tools/emulator/api-gateway/server.ts';
import { FUNCTION_TIMEOUT_VARIABLE, type ReadyLine } from './receiver-contract.ts';

function functionTimeoutMs(): number {
  const raw = process.env[FUNCTION_TIMEOUT_VARIABLE];
  const value = raw === undefined || raw === '' ? FUNCTION_TIMEOUT_MS : Number(raw);
  if (!Number.isInteger(value) || value < 100) {
    throw new Error(`${FUNCTION_TIMEOUT_VARIABLE} must be a whole number of ms (100 or more)`);
  }
  return value;
}

const timeoutMs = functionTimeoutMs();
const { handler } = (await import('../../../lambda/handler.ts')) as { handler: ApiGatewayHandler };
const server = await startDevServer({
  handler,
  port: 0,
  host: '127.0.0.1',
  log: (line) => process.stderr.write(`${line}\n`),
  functionTimeoutMs: timeoutMs,
});
const ready: ReadyLine = { ready: server.webhookUrl };
process.stdout.write(`${JSON.stringify(ready)}\n`);

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

// Never outlive the scenario that started it (a crashed test runner sends no signal).
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) stop();
}, 500).unref();
