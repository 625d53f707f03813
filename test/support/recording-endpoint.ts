/**
 * A webhook endpoint for the stand-in's tests: records every request it gets
 * and answers with the status a test scripts (200 unless told otherwise).
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the endpoint received. */
export interface RecordedRequest {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A listening endpoint. */
export interface RecordingEndpoint {
  readonly url: string;
  readonly requests: RecordedRequest[];
  /** The status of every later answer. */
  answerWith(statusCode: number): void;
  close(): Promise<void>;
}

/** Starts an endpoint on the loopback interface. */
export async function startRecordingEndpoint(): Promise<RecordingEndpoint> {
  const requests: RecordedRequest[] = [];
  let statusCode = 200;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(statusCode, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: statusCode < 300 ? 'ok' : 'failed' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhooks`,
    requests,
    answerWith: (code) => {
      statusCode = code;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
