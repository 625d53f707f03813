/**
 * An in-process HTTP layer for the AWS SDK clients: every request is answered
 * with a canned response of the service's own protocol, so a bench measures the
 * SDK's and the handler's CPU (serialising, signing, parsing, our code) without
 * a network or an emulator. Responses carry their body as a stream, as the real
 * Node.js HTTP handler's do.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { HttpRequest } from '@smithy/core/transport';
import { HttpResponse } from '@smithy/core/transport';
import type { AwsClients } from '../../lambda/compose.ts';

interface Canned {
  readonly contentType: string;
  readonly body: string;
}

type Responder = (request: HttpRequest) => Canned;

/** A request handler answering from a responder, counting what it answered. */
export class StubHttpHandler {
  readonly calls = new Map<string, number>();

  constructor(
    private readonly service: string,
    private readonly respond: Responder,
  ) {}

  async handle(request: HttpRequest): Promise<{ response: HttpResponse }> {
    const canned = this.respond(request);
    const operation = operationOf(request);
    this.calls.set(operation, (this.calls.get(operation) ?? 0) + 1);
    const body = Buffer.from(canned.body, 'utf8');
    return {
      response: new HttpResponse({
        statusCode: 200,
        headers: {
          'content-type': canned.contentType,
          'content-length': String(body.byteLength),
          'x-amzn-requestid': randomUUID(),
          date: new Date().toUTCString(),
        },
        body: Readable.from([body]),
      }),
    };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}

  toString(): string {
    return `${this.service} stub`;
  }
}

function operationOf(request: HttpRequest): string {
  const target = request.headers['x-amz-target'];
  if (target !== undefined) return target.slice(target.indexOf('.') + 1);
  const body = typeof request.body === 'string' ? request.body : '';
  return /(?:^|&)Action=([A-Za-z]+)/.exec(body)?.[1] ?? 'unknown';
}

function unexpected(service: string, request: HttpRequest): never {
  throw new Error(`the ${service} stub has no answer for ${operationOf(request)}`);
}

const JSON_1_0 = 'application/x-amz-json-1.0';
const JSON_1_1 = 'application/x-amz-json-1.1';

/** DynamoDB (JSON 1.0): `PutItem` and `UpdateItem` succeed with an empty result. */
function dynamodbResponder(request: HttpRequest): Canned {
  switch (operationOf(request)) {
    case 'PutItem':
    case 'UpdateItem':
      return { contentType: JSON_1_0, body: '{}' };
    default:
      return unexpected('DynamoDB', request);
  }
}

/** SNS (query protocol, XML): `Publish` answers a new message id. */
function snsResponder(request: HttpRequest): Canned {
  if (operationOf(request) !== 'Publish') unexpected('SNS', request);
  return {
    contentType: 'text/xml',
    body:
      '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">' +
      `<PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult>` +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>` +
      '</PublishResponse>',
  };
}

/** Secrets Manager (JSON 1.1): `GetSecretValue` answers the signing key. */
function secretsManagerResponder(signingKey: string): Responder {
  return (request) => {
    if (operationOf(request) !== 'GetSecretValue') unexpected('SecretsManager', request);
    return {
      contentType: JSON_1_1,
      body: JSON.stringify({
        ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:ApideckSigningKey-AbCdEf',
        Name: 'ApideckSigningKey',
        VersionId: 'b0b7d4d2-0000-4000-8000-000000000000',
        SecretString: signingKey,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: 1_764_000_000,
      }),
    };
  };
}

/** The stubs installed in a set of clients. */
export interface StubbedHttp {
  readonly dynamodb: StubHttpHandler;
  readonly sns: StubHttpHandler;
  readonly secretsManager: StubHttpHandler;
  /** Calls answered so far, by `service.operation`. */
  counts(): Record<string, number>;
}

/**
 * Replaces the HTTP layer of clients made by `createAwsClients()` (so every
 * other client option stays the handler's) with the stubs. A client resolves
 * `config.requestHandler` on every `send`, so replacing it after construction
 * takes effect for every later call; `counts()` proves it did.
 */
export function stubHttp(clients: AwsClients, signingKey: string): StubbedHttp {
  const stubs = {
    dynamodb: new StubHttpHandler('DynamoDB', dynamodbResponder),
    sns: new StubHttpHandler('SNS', snsResponder),
    secretsManager: new StubHttpHandler('SecretsManager', secretsManagerResponder(signingKey)),
  };
  for (const name of ['dynamodb', 'sns', 'secretsManager'] as const) {
    (clients[name].config as { requestHandler: unknown }).requestHandler = stubs[name];
  }
  return {
    ...stubs,
    counts: () => {
      const counts: Record<string, number> = {};
      for (const [service, stub] of Object.entries(stubs)) {
        for (const [operation, count] of stub.calls) counts[`${service}.${operation}`] = count;
      }
      return counts;
    },
  };
}
