/**
 * Runs the real Lambda entry point (`lambda/handler.ts`) against the emulator:
 * provisions a fresh set of resources, points the handler's environment and the
 * AWS SDK at them, imports the handler as a cold start would, and captures the
 * lines it writes to stdout.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { inject, vi } from 'vitest';
import { VAULT_CONNECTION_EVENT_TYPES } from '../../lambda/contract/event-catalogue.ts';
import type { ApiGatewayHandler } from '../../lambda/http/api-gateway-handler.ts';
import {
  drainTap,
  type EmulatorTarget,
  provisionReceiver,
  type ReceiverResources,
  type TapDelivery,
} from '../../tools/emulator/index.ts';
import {
  buildEvent,
  type EventBody,
  type EventOverrides,
  fakeLambdaContext,
  signedApiGatewayEvent,
  VECTOR_KEY,
  wireText,
} from '../support/apideck-events.ts';

/** A handler wired to freshly provisioned emulator resources. */
export interface ReceiverUnderTest {
  readonly target: EmulatorTarget;
  readonly resources: ReceiverResources;
  readonly handler: ApiGatewayHandler;
  /** Every line the handler wrote to stdout so far. */
  readonly lines: string[];
  /** Signs `body` with `key` and invokes the handler as API Gateway would, with `remainingTimeMs` left. */
  deliver(
    body: EventBody | string,
    key?: string,
    remainingTimeMs?: number,
  ): Promise<APIGatewayProxyResult>;
  /** Reads what reached the topics (see `drainTap`). */
  drain(expectedCount?: number): Promise<TapDelivery[]>;
}

/** How the handler reaches AWS. */
export interface ReceiverOptions {
  /** The handler's `AWS_ENDPOINT_URL` (a fault proxy in front of the emulator); default the emulator. */
  readonly awsEndpoint?: string;
  /** Provision nothing: reuse these resources (a second cold start on the same table and topics). */
  readonly resources?: ReceiverResources;
}

/** Provisions resources, sets the environment and cold-starts the real handler. */
export async function startReceiver(
  extraEnvironment: Record<string, string> = {},
  options: ReceiverOptions = {},
): Promise<ReceiverUnderTest> {
  const target: EmulatorTarget = {
    endpoint: inject('emulatorEndpoint'),
    region: inject('emulatorRegion'),
  };
  const resources =
    options.resources ??
    (await provisionReceiver({
      ...target,
      eventTypes: VAULT_CONNECTION_EVENT_TYPES,
      apiKeys: VECTOR_KEY,
    }));
  Object.assign(process.env, resources.environment, extraEnvironment, {
    AWS_ENDPOINT_URL: options.awsEndpoint ?? target.endpoint,
    AWS_REGION: target.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  const lines: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((line) => line.length > 0),
    );
    return true;
  });
  vi.resetModules();
  const { handler } = await import('../../lambda/handler.ts');
  return {
    target,
    resources,
    handler,
    lines,
    deliver: (body, key = VECTOR_KEY, remainingTimeMs = undefined) =>
      handler(
        signedApiGatewayEvent(typeof body === 'string' ? body : wireText(body), key),
        fakeLambdaContext({
          awsRequestId: randomUUID(),
          ...(remainingTimeMs === undefined ? {} : { remainingTimeMs }),
        }),
      ),
    drain: (expectedCount) =>
      drainTap({
        ...target,
        queueUrl: resources.tapQueueUrl,
        ...(expectedCount === undefined ? {} : { expectedCount }),
      }),
  };
}

/**
 * A sample event with a new `event_id` and `occurred_at` now, so that every
 * test deals with an event nobody has seen and that is inside the replay window
 * whatever day the tests run.
 */
export function freshEvent(overrides: EventOverrides = {}): EventBody {
  return buildEvent({
    ...overrides,
    payload: {
      event_id: randomUUID(),
      occurred_at: new Date().toISOString(),
      ...overrides.payload,
    },
  });
}

/** The `status` field of a handler response. */
export function statusOf(response: APIGatewayProxyResult): unknown {
  return (JSON.parse(response.body) as { status?: unknown }).status;
}
