/**
 * The local stand-in for the deployed REST API: an HTTP server that answers
 * what API Gateway answers by itself (unknown route, too large, missing
 * signature header), and otherwise invokes the handler with the proxy event
 * API Gateway would build, answering with the handler's result.
 */

import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { APIGatewayProxyResult, Context } from 'aws-lambda';
import { RECEIVER_TIMEOUT_SECONDS } from '../../../lambda/contract/limits.ts';
import type { ApiGatewayHandler } from '../../../lambda/http/api-gateway-handler.ts';
import { outcomeOf } from '../../signed-delivery/post-deliveries.ts';
import { toApiGatewayEvent } from './event.ts';
import {
  checkSize,
  defaultGatewayResponse,
  type GatewayRefusal,
  matchRoute,
  validateRequestParameters,
  WEBHOOK_RESOURCE,
} from './validator.ts';

/** The deployed function's timeout. */
export const FUNCTION_TIMEOUT_MS = RECEIVER_TIMEOUT_SECONDS * 1000;

/** Options of {@link startDevServer}. */
export interface DevServerOptions {
  readonly handler: ApiGatewayHandler;
  /** 0 picks a free port. */
  readonly port: number;
  readonly host: string;
  /** Where the server's own lines (gateway answers, invocation failures) go. */
  readonly log: (line: string) => void;
  readonly functionTimeoutMs?: number;
  /** Called with each answer of the function (its Lambda request id, status code and `status`). */
  readonly onAnswer?: (requestId: string, statusCode: number, status: string | undefined) => void;
}

/** A listening dev server. */
export interface DevServer {
  /** `http://<host>:<port>/webhooks` */
  readonly webhookUrl: string;
  /** Stops accepting, lets requests in flight finish (at most 2 s), closes every connection. */
  close(): Promise<void>;
}

const INTERNAL_ERROR = defaultGatewayResponse(
  502,
  'InternalServerErrorException',
  'Internal server error',
  'the integration failed',
);

/** A fake Lambda context whose remaining time counts down from the function's timeout. */
function lambdaContext(requestId: string, deadlineMs: number): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'apideck-webhook-receiver-dev',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:local:123456789012:function:apideck-webhook-receiver-dev',
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/apideck-webhook-receiver-dev',
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadlineMs - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

function isValidResult(result: unknown): result is APIGatewayProxyResult {
  if (typeof result !== 'object' || result === null) return false;
  const { statusCode, body } = result as { statusCode?: unknown; body?: unknown };
  return (
    typeof statusCode === 'number' &&
    Number.isInteger(statusCode) &&
    statusCode >= 100 &&
    statusCode <= 599 &&
    (body === undefined || body === null || typeof body === 'string')
  );
}

function gatewayHeaders(requestId: string): Record<string, string> {
  return {
    'x-amzn-RequestId': requestId,
    'x-amz-apigw-id': randomBytes(8).toString('base64url'),
  };
}

function sendRefusal(response: ServerResponse, refusal: GatewayRefusal, requestId: string): void {
  response.writeHead(refusal.statusCode, {
    ...refusal.headers,
    'x-amzn-ErrorType': refusal.errorType,
    ...gatewayHeaders(requestId),
  });
  response.end(refusal.body);
}

function sendResult(
  response: ServerResponse,
  result: APIGatewayProxyResult,
  requestId: string,
  trace: string | undefined,
): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    headers[name] = [...[headers[name] ?? []].flat(), ...values.map(String)];
  }
  Object.assign(headers, gatewayHeaders(requestId));
  if (trace !== undefined) headers['X-Amzn-Trace-Id'] = trace;
  response.writeHead(result.statusCode, headers);
  const body = result.body ?? '';
  response.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

/** Reads the body, or refuses it once it is over API Gateway's limit (the rest is discarded). */
async function readBody(request: IncomingMessage): Promise<Buffer | GatewayRefusal> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (checkSize(size) === undefined) chunks.push(chunk);
  }
  return checkSize(size) ?? Buffer.concat(chunks);
}

/** The handler's result; a throw, a malformed result or the timeout rejects, saying which. */
async function invoke(
  handler: ApiGatewayHandler,
  event: Parameters<ApiGatewayHandler>[0],
  context: Context,
  timeoutMs: number,
): Promise<APIGatewayProxyResult> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    const problem = new Error(`the function timed out after ${timeoutMs} ms`);
    timer = setTimeout(reject, timeoutMs, problem);
  });
  const ran = handler(event, context).catch((error: unknown) => {
    throw new Error(
      `the function threw: ${error instanceof Error ? error.message : String(error)}`,
    );
  });
  try {
    const result: unknown = await Promise.race([ran, timedOut]);
    if (!isValidResult(result)) throw new Error('the function returned a malformed proxy result');
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** Starts the server and resolves once it listens. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const { handler, log } = options;
  const timeoutMs = options.functionTimeoutMs ?? FUNCTION_TIMEOUT_MS;
  const inFlight = new Set<Promise<void>>();

  const serve = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const requestId = randomUUID();
    const receivedAtMs = Date.now();
    const method = request.method ?? 'GET';
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    const refuse = (refusal: GatewayRefusal): void => {
      sendRefusal(response, refusal, requestId);
      log(
        `gateway  ${refusal.statusCode} ${method} ${path}  ${refusal.reason} (handler not invoked)`,
      );
    };
    const unrouted = matchRoute(method, path);
    if (unrouted) {
      request.resume();
      refuse(unrouted);
      return;
    }
    const body = await readBody(request);
    if (!Buffer.isBuffer(body)) {
      refuse(body);
      return;
    }
    const event = toApiGatewayEvent(request, body, { requestId, receivedAtMs });
    const invalid = validateRequestParameters(event.headers);
    if (invalid) {
      refuse(invalid);
      return;
    }
    const context = lambdaContext(randomUUID(), receivedAtMs + timeoutMs);
    let result: APIGatewayProxyResult;
    try {
      result = await invoke(handler, event, context, timeoutMs);
    } catch (problem) {
      sendRefusal(response, INTERNAL_ERROR, requestId);
      log(`gateway  502 ${method} ${path}  ${(problem as Error).message}`);
      return;
    }
    sendResult(response, result, requestId, event.headers['X-Amzn-Trace-Id']);
    options.onAnswer?.(context.awsRequestId, result.statusCode, outcomeOf(result.body ?? ''));
  };

  const server = createServer((request, response) => {
    const handled = serve(request, response).catch((error: unknown) => {
      log(`gateway  error  ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) sendRefusal(response, INTERNAL_ERROR, randomUUID());
      else response.destroy();
    });
    inFlight.add(handled);
    void handled.finally(() => inFlight.delete(handled));
  });

  await once(server.listen(options.port, options.host), 'listening');
  const { port } = server.address() as AddressInfo;
  const hostInUrl = options.host.includes(':') ? `[${options.host}]` : options.host;

  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Unreferenced: the grace period alone never keeps the process alive.
      const grace = sleep(2_000, undefined, { ref: false });
      await Promise.race([Promise.allSettled([...inFlight]), grace]);
      server.closeAllConnections();
      await stopped;
    })();
    return closed;
  };

  return { webhookUrl: `http://${hostInUrl}:${port}${WEBHOOK_RESOURCE}`, close };
}
