/**
 * Canned answers of the AWS services the receiver calls, each in the service's
 * own protocol, and an in-process HTTP layer for the SDK clients that answers
 * with them, so a bench can measure the SDK's and the handler's CPU
 * (serialising, signing, parsing, our code) without sockets, a network or an
 * emulator. Responses carry their body as a stream, as the real Node.js HTTP
 * handler's do. `canned-aws-server.ts` serves the same answers over HTTP.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { HttpRequest } from '@smithy/core/transport';
import { HttpResponse } from '@smithy/core/transport';
import type { AwsClients } from '../../lambda/compose-receiver.ts';
import { BENCH_SECRET_ID } from '../environment.ts';

/** The services the receiver calls, named as `AwsClients` names their clients. */
export type Service = 'dynamodb' | 'sns' | 'secretsManager';

/** A canned answer: its content type and body. */
type Answer = (signingKey: string) => { readonly contentType: string; readonly body: string };

/**
 * The operations the receiver sends, by service, answered as the service does:
 * DynamoDB (JSON 1.0) with an empty result, SNS (query protocol, XML) with a new
 * message id, Secrets Manager (JSON 1.1) with the signing key.
 */
const ANSWERS: Record<Service, Record<string, Answer>> = {
  dynamodb: {
    PutItem: () => ({ contentType: 'application/x-amz-json-1.0', body: '{}' }),
    UpdateItem: () => ({ contentType: 'application/x-amz-json-1.0', body: '{}' }),
  },
  sns: {
    Publish: () => ({
      contentType: 'text/xml',
      body:
        '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">' +
        `<PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult>` +
        `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>` +
        '</PublishResponse>',
    }),
  },
  secretsManager: {
    GetSecretValue: (signingKey) => ({
      contentType: 'application/x-amz-json-1.1',
      body: JSON.stringify({
        ARN: BENCH_SECRET_ID,
        Name: 'ApideckSigningKey',
        VersionId: 'b0b7d4d2-0000-4000-8000-000000000000',
        SecretString: signingKey,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 1_764_000_000,
      }),
    }),
  },
};

/** The operation of a request: from `X-Amz-Target` (JSON protocols), else the query's `Action`. */
export function operationOf(target: string | undefined, body: string): string {
  if (target !== undefined) return target.slice(target.indexOf('.') + 1);
  return /(?:^|&)Action=([A-Za-z]+)/.exec(body)?.[1] ?? 'unknown';
}

/** The canned answer of `service` to `operation`, or `undefined` when the receiver never sends it. */
export function cannedAnswer(
  service: Service,
  operation: string,
  signingKey: string,
): ReturnType<Answer> | undefined {
  return ANSWERS[service][operation]?.(signingKey);
}

/**
 * Replaces the HTTP layer of clients made by `createAwsClients()` (so every
 * other client option stays the handler's) with stubs, and returns the calls
 * they answered so far, by `service.operation`. A client resolves
 * `config.requestHandler` on every `send`, so replacing it after construction
 * takes effect for every later call; the counts prove it did.
 */
export function stubHttp(clients: AwsClients, signingKey: string): () => Record<string, number> {
  const calls: Record<Service, Record<string, number>> = {
    dynamodb: {},
    sns: {},
    secretsManager: {},
  };
  for (const service of Object.keys(ANSWERS) as Service[]) {
    const requestHandler = {
      async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
        const body = typeof request.body === 'string' ? request.body : '';
        const operation = operationOf(request.headers['x-amz-target'], body);
        const canned = cannedAnswer(service, operation, signingKey);
        if (canned === undefined)
          throw new Error(`the ${service} stub has no answer for ${operation}`);
        calls[service][operation] = (calls[service][operation] ?? 0) + 1;
        const bytes = Buffer.from(canned.body, 'utf8');
        const headers = {
          'content-type': canned.contentType,
          'content-length': String(bytes.byteLength),
          'x-amzn-requestid': randomUUID(),
          date: new Date().toUTCString(),
        };
        return {
          response: new HttpResponse({ statusCode: 200, headers, body: Readable.from([bytes]) }),
        };
      },
      updateHttpClientConfig(): void {},
      httpHandlerConfigs: () => ({}),
      destroy(): void {},
    };
    (clients[service].config as { requestHandler: unknown }).requestHandler = requestHandler;
  }
  return () =>
    Object.fromEntries(
      Object.entries(calls).flatMap(([service, operations]) =>
        Object.entries(operations).map(([operation, count]) => [`${service}.${operation}`, count]),
      ),
    );
}
