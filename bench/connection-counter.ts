/**
 * A TCP relay in front of the emulator that counts what the first request of a
 * cold container costs on the network: connections opened (each one a TCP
 * handshake, and on AWS a TLS handshake too) and requests sent, each in the
 * order they start. The handler's clients reach it through `AWS_ENDPOINT_URL`.
 */
import { connect, createServer, type Socket } from 'node:net';

/** What went over the relay between two `mark()` calls. */
export interface NetworkSpan {
  /** New TCP connections. */
  readonly connections: number;
  /** HTTP requests (counted by their request line). */
  readonly requests: number;
  /** The operations in the order they were sent (`X-Amz-Target` suffix or SNS `Action`). */
  readonly operations: readonly string[];
}

const REQUEST_LINE = /^(?:GET|POST|PUT|HEAD|DELETE) \S+ HTTP\/1\.1\r\n/gm;
const TARGET = /x-amz-target:\s*[\w.]+\.(\w+)/i;
const ACTION = /(?:^|[&\n])Action=(\w+)/m;

/** Starts the relay on a free loopback port, forwarding to `target` (`http://host:port`). */
export async function startConnectionCounter(target: string) {
  const upstream = new URL(target);
  let connections = 0;
  let requests = 0;
  let operations: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    connections++;
    sockets.add(client);
    const server = connect(Number(upstream.port), upstream.hostname);
    sockets.add(server);
    client.on('data', (chunk: Buffer) => {
      const text = chunk.toString('latin1');
      const lines = text.match(REQUEST_LINE)?.length ?? 0;
      requests += lines;
      const operation = TARGET.exec(text)?.[1] ?? ACTION.exec(text)?.[1];
      if (operation !== undefined) operations.push(operation);
    });
    client.pipe(server).pipe(client);
    const drop = () => {
      client.destroy();
      server.destroy();
    };
    client.once('error', drop);
    server.once('error', drop);
    client.once('close', () => sockets.delete(client));
    server.once('close', () => sockets.delete(server));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    /** Everything since the previous mark (or the start). */
    mark(): NetworkSpan {
      const span = { connections, requests, operations };
      connections = 0;
      requests = 0;
      operations = [];
      return span;
    },
    close(): Promise<void> {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
