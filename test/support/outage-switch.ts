/**
 * A switch in front of the receiver's URL: forwards every request while up;
 * while down, answers as a receiver that is gone would (503 from the gateway,
 * or the connection reset), so Apideck's stand-in records failed attempts.
 */
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How requests fail while the switch is down. */
export type OutageMode = '503' | 'reset';

/** A listening switch. */
export interface OutageSwitch {
  /** The URL to give Apideck: the target's path on the switch's port. */
  readonly url: string;
  down(mode?: OutageMode): void;
  up(): void;
  close(): Promise<void>;
}

/** Starts a switch forwarding to `targetUrl` (http only), initially up. */
export async function startOutageSwitch(targetUrl: string): Promise<OutageSwitch> {
  const target = new URL(targetUrl);
  let mode: OutageMode | undefined;
  const server = createServer((incoming, response) => {
    if (mode === 'reset') {
      incoming.socket.destroy();
      return;
    }
    if (mode === '503') {
      incoming.resume();
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end('{"message":"Service Unavailable"}');
      return;
    }
    const upstream = httpRequest(
      {
        hostname: target.hostname,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.once('error', () => response.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname}`,
    down: (how = '503') => {
      mode = how;
    },
    up: () => {
      mode = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
