/**
 * The prebuilt bundle the construct deploys (`dist/handler/index.mjs`), run in
 * a fresh Node.js process against the emulator through the HTTP proxy: its
 * SDK clients take credentials from the environment only (the esbuild alias of
 * `@aws-sdk/credential-provider-node`), as Lambda passes them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { VAULT_CONNECTION_EVENT_TYPES } from '../../lambda/contract/event-catalogue.ts';
import { type FaultProxy, startFaultProxy } from '../../tools/emulator/fault-proxy.ts';
import { provisionReceiver, type ReceiverResources } from '../../tools/emulator/index.ts';
import { signedApiGatewayEvent, VECTOR_KEY, wireText } from '../support/apideck-events.ts';
import { type Invocation, runBundle } from '../support/bundle-process.ts';
import { freshEvent } from './receiver-harness.ts';

const target = { endpoint: inject('emulatorEndpoint'), region: inject('emulatorRegion') };
const ACCESS_KEY_ID = 'AKIDBUNDLEENVONLY';
const SESSION_TOKEN = 'bundle-session-token';

let resources: ReceiverResources;
let proxy: FaultProxy;
const seen: Array<{ operation: string | undefined; authorization: unknown; token: unknown }> = [];

beforeAll(async () => {
  resources = await provisionReceiver({
    ...target,
    eventTypes: VAULT_CONNECTION_EVENT_TYPES,
    apiKeys: VECTOR_KEY,
    namePrefix: 'bundle',
  });
  proxy = await startFaultProxy({ target: target.endpoint });
  proxy.intercept((request) => {
    seen.push({
      operation: request.operation,
      authorization: request.headers.authorization,
      token: request.headers['x-amz-security-token'],
    });
    return undefined;
  });
});

afterAll(async () => {
  await proxy.close();
});

function environment(credentials: Record<string, string>): Record<string, string> {
  return {
    ...resources.environment,
    AWS_ENDPOINT_URL: proxy.endpoint,
    AWS_REGION: target.region,
    ...credentials,
  };
}

const signedEvent = () => signedApiGatewayEvent(wireText(freshEvent()));

function answers(invocations: readonly Invocation[]): string[] {
  return invocations.map((invocation) =>
    invocation.kind === 'answer'
      ? `${invocation.response.statusCode} ${String((JSON.parse(invocation.response.body) as { status?: unknown }).status)}`
      : `rejected ${invocation.name}`,
  );
}

describe('deployed bundle', () => {
  it('signs every call with the credentials Lambda passes in the environment', async () => {
    seen.length = 0;
    const run = await runBundle(
      [signedEvent(), signedEvent()],
      environment({
        AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
        AWS_SECRET_ACCESS_KEY: 'bundle-secret-access-key',
        AWS_SESSION_TOKEN: SESSION_TOKEN,
      }),
    );
    expect(answers(run.invocations)).toEqual(['200 published', '200 published']);
    const operations = seen.map((request) => request.operation);
    // Started together at initialisation: the secret's read and the retention ledger's update.
    expect([...operations.slice(0, 2)].sort()).toEqual(['GetSecretValue', 'UpdateItem']);
    expect(operations.slice(2)).toEqual([
      'PutItem',
      'Publish',
      'UpdateItem',
      'PutItem',
      'Publish',
      'UpdateItem',
    ]);
    for (const request of seen) {
      expect(request.authorization).toMatch(
        new RegExp(`^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY_ID}/\\d{8}/${target.region}/`),
      );
      expect(request.token).toBe(SESSION_TOKEN);
    }
  });

  it('fails the request clearly, sending nothing, when the credential variables are missing', async () => {
    seen.length = 0;
    // A profile the SDK's default chain would find: the bundle must not look.
    const home = mkdtempSync(join(tmpdir(), 'bundle-home-'));
    const credentialsFile = join(home, 'credentials');
    writeFileSync(
      credentialsFile,
      '[default]\naws_access_key_id = AKIDFROMFILE\naws_secret_access_key = from-file\n',
    );
    const run = await runBundle(
      [signedEvent()],
      environment({ HOME: home, AWS_SHARED_CREDENTIALS_FILE: credentialsFile }),
    );
    const [answer] = answers(run.invocations);
    expect(answer).toMatch(/^5\d\d /);
    expect(seen).toEqual([]);
    const log = run.lines.find((line) => line.includes('"request_id":"bundle-0"'));
    expect(log).toContain('MissingEnvironmentCredentialsError');
    expect(log).toContain('AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must be set');
  });
});
