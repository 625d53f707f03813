/**
 * One `npx apideck-webhooks setup` run, apart from the process: arguments, environment and
 * the key's source come in, the lines to print and the exit code go out, so
 * tests run it in process against the emulator and the Apideck stand-in.
 */
import { parseArgs } from 'node:util';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { VAULT_CONNECTION_EVENT_TYPES } from '../../lambda/contract/event-catalogue.ts';
import {
  APIDECK_ENVIRONMENT,
  APIDECK_ENVIRONMENT_DEFAULTS,
} from '../../lambda/contract/reconciliation.ts';
import { ApideckWebhookApi } from '../../lambda/reconcile/apideck-webhook-api.ts';
import {
  ensureSubscription,
  outputsFromFile,
  outputsFromStack,
  pingReceiver,
  SetupStepError,
  type StackOutputs,
  storeKey,
} from './steps.ts';

/** The ready app's stack name (`bin/app.ts`). */
export const DEFAULT_STACK = 'ApideckWebhooks';

export const USAGE = `usage: npx apideck-webhooks setup [--stack <name> | --outputs-file <file>] [--app-id <id>]
                                [--events <type,type,...>] [--rotate] [--skip-subscription]
       (in this repository: npm run setup -- ...)

After \`cdk deploy\`: stores the Apideck API key (read from standard input, or a
hidden prompt; never from the command line) in the signing secret, sends a
signed ping that must be answered 200 ignored, and creates or updates the
Apideck webhook subscription of the receiver's URL. Safe to run again.

  --stack           the deployed stack (default ${DEFAULT_STACK}); its outputs are read
  --outputs-file    the file \`cdk deploy --outputs-file\` wrote, instead of --stack
  --app-id          the Apideck application id (default: APIDECK_APP_ID)
  --events          event types to subscribe (default: the Vault connection events)
  --rotate          keep the keys already stored beside the new one (key rotation)
  --skip-subscription  store the key and ping only

environment: APIDECK_APP_ID, APIDECK_API_URL (default ${APIDECK_ENVIRONMENT_DEFAULTS.apiUrl}),
AWS_REGION and credentials.`;

/** What setup needs from outside, injectable for tests. */
export interface SetupDependencies {
  /** The Apideck API key, read without echo and never from argv. */
  readonly readKey: () => Promise<string>;
  readonly secrets?: SecretsManagerClient;
  readonly readOutputs?: (stack: string) => Promise<StackOutputs>;
  readonly fetch?: typeof fetch;
  /** Waits between pings (default 10 s; the receiver re-reads the secret at most once a minute). */
  readonly pingWaitMs?: number;
}

/** What a run printed and how it ended. */
export interface SetupResult {
  readonly exitCode: number;
  readonly lines: readonly string[];
}

/** Runs setup; never throws for an expected failure, it names the step and exits 1. */
export async function runSetup(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  deps: SetupDependencies,
): Promise<SetupResult> {
  const lines: string[] = [];
  let args: ReturnType<typeof parse>;
  try {
    args = parse(argv);
  } catch (error) {
    return { exitCode: 2, lines: [String(error instanceof Error ? error.message : error), USAGE] };
  }
  if (args.help) return { exitCode: 0, lines: [USAGE] };
  try {
    const outputs =
      args['outputs-file'] === undefined
        ? await (deps.readOutputs ?? outputsFromStack)(args.stack ?? DEFAULT_STACK)
        : await outputsFromFile(args['outputs-file'], args.stack);
    lines.push(`ok outputs       webhook URL ${outputs.webhookUrl}`);

    const apiKey = (await deps.readKey()).trim();
    if (apiKey === '') {
      throw new SetupStepError(
        'key',
        'no API key was given',
        'pipe it in or type it at the prompt',
      );
    }
    const stored = await storeKey(
      deps.secrets ?? new SecretsManagerClient({}),
      outputs.signingSecretArn,
      apiKey,
      args.rotate ?? false,
    );
    lines.push(
      `ok key           stored in the signing secret (${stored} key${stored === 1 ? '' : 's'})`,
    );

    await pingReceiver(outputs.webhookUrl, apiKey, {
      ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
      ...(deps.pingWaitMs === undefined ? {} : { waitMs: deps.pingWaitMs }),
    });
    lines.push('ok ping          200 ignored: the receiver verifies the stored key');

    if (args['skip-subscription'] === true) return { exitCode: 0, lines };
    const appId = args['app-id'] ?? env[APIDECK_ENVIRONMENT.appId];
    if (appId === undefined || appId === '') {
      throw new SetupStepError(
        'subscription',
        'no Apideck application id',
        `pass --app-id or set ${APIDECK_ENVIRONMENT.appId} (or --skip-subscription)`,
      );
    }
    const api = new ApideckWebhookApi({
      baseUrl: env[APIDECK_ENVIRONMENT.apiUrl] || APIDECK_ENVIRONMENT_DEFAULTS.apiUrl,
      appId,
      apiKey,
      ...(deps.fetch === undefined ? {} : { fetch: deps.fetch }),
    });
    const events = args.events
      ?.split(',')
      .map((event) => event.trim())
      .filter(Boolean) ?? [...VAULT_CONNECTION_EVENT_TYPES];
    const subscription = await ensureSubscription(
      api,
      outputs.webhookUrl,
      events,
      outputs.apiWebhookUrl === undefined ? [] : [outputs.apiWebhookUrl],
    );
    lines.push(
      `ok subscription  ${subscription.action} ${subscription.id}: status ${subscription.status}` +
        (subscription.disabledReason === undefined
          ? ''
          : `, disabled_reason ${subscription.disabledReason}`) +
        (subscription.movedFrom === undefined
          ? ''
          : ` (from ${subscription.movedFrom} to the custom domain; Apideck validated the new URL)`),
    );
    return { exitCode: subscription.status === 'enabled' ? 0 : 1, lines };
  } catch (error) {
    if (!(error instanceof SetupStepError)) throw error;
    lines.push(`failed ${error.step}: ${error.message}`, `  what to do: ${error.hint}`);
    return { exitCode: 1, lines };
  }
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      stack: { type: 'string' },
      'outputs-file': { type: 'string' },
      'app-id': { type: 'string' },
      events: { type: 'string' },
      rotate: { type: 'boolean' },
      'skip-subscription': { type: 'boolean' },
      help: { type: 'boolean' },
    },
    strict: true,
    allowPositionals: false,
  }).values;
}
