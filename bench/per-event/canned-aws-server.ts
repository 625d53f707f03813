/**
 * The canned answers of `stub-http.ts` served over HTTP on a loopback port, in
 * a process of its own, so that the as-deployed warm-CPU figure runs each
 * bundle's own SDK and Node.js HTTP client against it (`AWS_ENDPOINT_URL`)
 * while only the measured process's CPU is counted. Started by `bench/main.ts`
 * through `forkChild`; it sends `{ port }` once listening, and the calls it
 * answered, by `service.operation`, when asked with `"calls"`.
 */

import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { BENCH_SIGNING_KEY } from '../events.ts';
import { cannedAnswer, operationOf, serviceOf } from './stub-http.ts';

const calls: Record<string, number> = {};

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const target = request.headers['x-amz-target'];
    const single = Array.isArray(target) ? target[0] : target;
    const service = serviceOf(single);
    const operation = operationOf(single, Buffer.concat(chunks).toString('utf8'));
    const canned = cannedAnswer(service, operation, BENCH_SIGNING_KEY);
    const name = `${service}.${operation}`;
    calls[name] = (calls[name] ?? 0) + 1;
    const body = canned?.body ?? JSON.stringify({ message: `no canned answer for ${name}` });
    response.writeHead(canned === undefined ? 400 : 200, {
      'content-type': canned?.contentType ?? 'application/json',
      'content-length': Buffer.byteLength(body),
      'x-amzn-requestid': randomUUID(),
    });
    response.end(body);
  });
});
// The SDK keeps connections alive between events, as on AWS; Node.js would close them after 5 s idle.
server.keepAliveTimeout = 300_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  process.send?.({ port: address.port });
});
process.on('message', (message) => {
  if (message === 'calls') process.send?.({ calls });
});
process.on('disconnect', () => server.close(() => process.exit(0)));
