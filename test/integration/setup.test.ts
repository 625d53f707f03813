/**
 * `npm run setup` against the emulator (the signing secret), the real handler
 * behind the API Gateway stand-in (the ping) and Apideck's stand-in (the
 * subscription), as a user runs it after `cdk deploy`.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSetup, type SetupDependencies } from '../../cli/setup/run.ts';
import { ENVIRONMENT } from '../../lambda/contract/environment.ts';
import { ManualClock } from '../../tools/apideck/clock.ts';
import { type ApideckApiServer, startApideckApi } from '../../tools/apideck/server.ts';
import { ApideckStandIn } from '../../tools/apideck/stand-in.ts';
import { type DevServer, startDevServer } from '../../tools/emulator/api-gateway/server.ts';
import { emulatorClientConfig } from '../../tools/emulator/index.ts';
import { type ReceiverUnderTest, startReceiver } from './receiver-harness.ts';

const APP_ID = 'app-setup';
const API_KEY = 'sk_live_setup_0123456789abcdef';
const ROTATED_KEY = 'sk_live_setup_fedcba9876543210';

let receiver: ReceiverUnderTest;
let devServer: DevServer;
let standIn: ApideckStandIn;
let api: ApideckApiServer;
let secrets: SecretsManagerClient;

beforeAll(async () => {
  receiver = await startReceiver({ [ENVIRONMENT.keyRefreshIntervalSeconds]: '1' });
  devServer = await startDevServer({
    handler: receiver.handler,
    port: 0,
    host: '127.0.0.1',
    log: () => undefined,
  });
  standIn = new ApideckStandIn({
    applicationId: APP_ID,
    apiKey: API_KEY,
    clock: new ManualClock(Date.now()),
  });
  api = await startApideckApi({ standIn });
  secrets = new SecretsManagerClient(emulatorClientConfig(receiver.target));
});

afterAll(async () => {
  await api.close();
  await devServer.close();
});

function setup(argv: readonly string[], key: string, extra: Partial<SetupDependencies> = {}) {
  return runSetup(
    argv,
    { APIDECK_APP_ID: APP_ID, APIDECK_API_URL: api.url },
    {
      readKey: async () => `${key}\n`,
      secrets,
      readOutputs: async () => ({
        webhookUrl: devServer.webhookUrl,
        signingSecretArn: String(receiver.resources.environment[ENVIRONMENT.signingSecretId]),
      }),
      pingWaitMs: 1_100,
      ...extra,
    },
  );
}

async function storedSecret(): Promise<string | undefined> {
  const { SecretString } = await secrets.send(
    new GetSecretValueCommand({
      SecretId: String(receiver.resources.environment[ENVIRONMENT.signingSecretId]),
    }),
  );
  return SecretString;
}

describe('npm run setup', () => {
  it('stores the key, pings the receiver and creates an enabled subscription for its URL', async () => {
    const result = await setup([], API_KEY);
    expect({
      exitCode: result.exitCode,
      steps: result.lines.map((line) => line.split(/\s+/).slice(0, 3).join(' ')),
      secret: await storedSecret(),
      subscriptions: standIn
        .listWebhooks()
        .map((webhook) => [webhook.delivery_url, webhook.status]),
    }).toEqual({
      exitCode: 0,
      steps: ['ok outputs webhook', 'ok key stored', 'ok ping 200', 'ok subscription created'],
      secret: API_KEY,
      subscriptions: [[devServer.webhookUrl, 'enabled']],
    });
  });

  it('changes nothing when run again: no second subscription, no update', async () => {
    const result = await setup([], API_KEY);
    expect({
      exitCode: result.exitCode,
      last: result.lines.at(-1)?.split(/\s+/).slice(0, 3).join(' '),
      created: api.answered.get('webhooksAdd 201') ?? 0,
      updated: api.answered.get('webhooksUpdate 200') ?? 0,
      subscriptions: standIn.listWebhooks().length,
    }).toEqual({
      exitCode: 0,
      last: 'ok subscription unchanged',
      created: 1,
      updated: 0,
      subscriptions: 1,
    });
  });

  it('never prints the key', async () => {
    const result = await setup([], API_KEY);
    expect(result.lines.join('\n')).not.toContain(API_KEY.slice(8));
  });

  it('brings a subscription with other events back to the wanted ones, without touching its URL', async () => {
    const [webhook] = standIn.listWebhooks();
    await standIn.updateWebhook(String(webhook?.id), { events: ['vault.connection.created'] });
    const result = await setup([], API_KEY);
    expect({
      last: result.lines.at(-1)?.split(/\s+/).slice(0, 3).join(' '),
      url: standIn.listWebhooks()[0]?.delivery_url,
    }).toEqual({ last: 'ok subscription updated', url: devServer.webhookUrl });
  });

  it('names the failed step and what to do when Apideck refuses the application id', async () => {
    const result = await runSetup(
      [],
      { APIDECK_APP_ID: 'not-this-app', APIDECK_API_URL: api.url },
      {
        readKey: async () => API_KEY,
        secrets,
        readOutputs: async () => ({
          webhookUrl: devServer.webhookUrl,
          signingSecretArn: String(receiver.resources.environment[ENVIRONMENT.signingSecretId]),
        }),
      },
    );
    expect({ exitCode: result.exitCode, failed: result.lines.at(-2)?.split(':')[0] }).toEqual({
      exitCode: 1,
      failed: 'failed subscription',
    });
  });

  it('keeps the old key beside the new one with --rotate, and the ping proves the new one', async () => {
    const result = await setup(['--rotate', '--skip-subscription'], ROTATED_KEY);
    expect({
      exitCode: result.exitCode,
      secret: JSON.parse((await storedSecret()) ?? '[]'),
    }).toEqual({
      exitCode: 0,
      secret: [ROTATED_KEY, API_KEY],
    });
  });

  it('refuses an empty key without writing the secret', async () => {
    const before = await storedSecret();
    const result = await setup(['--skip-subscription'], '   ');
    expect({ exitCode: result.exitCode, secret: await storedSecret() }).toEqual({
      exitCode: 1,
      secret: before,
    });
  });

  it("moves a subscription of the API's own URL to the custom domain's, rather than subscribe twice", async () => {
    // Query strings keep the two URLs apart while both reach the dev server.
    const apiWebhookUrl = `${devServer.webhookUrl}?url=api`;
    const webhookUrl = `${devServer.webhookUrl}?url=domain`;
    const before = await standIn.createWebhook({
      unified_api: 'vault',
      status: 'enabled',
      delivery_url: apiWebhookUrl,
      events: ['vault.connection.created'],
    });
    const count = standIn.listWebhooks().length;
    const result = await setup([], API_KEY, {
      readOutputs: async () => ({
        webhookUrl,
        apiWebhookUrl,
        signingSecretArn: String(receiver.resources.environment[ENVIRONMENT.signingSecretId]),
      }),
    });
    expect({
      exitCode: result.exitCode,
      last: result.lines.at(-1),
      subscriptions: standIn.listWebhooks().length,
      moved: standIn.getWebhook(before.id)?.delivery_url,
      status: standIn.getWebhook(before.id)?.status,
    }).toEqual({
      exitCode: 0,
      last: `ok subscription  moved ${before.id}: status enabled (from ${apiWebhookUrl} to the custom domain; Apideck validated the new URL)`,
      subscriptions: count,
      moved: webhookUrl,
      status: 'enabled',
    });
  });
});
