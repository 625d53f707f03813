/**
 * The steps of `npx apideck-webhooks setup` after `cdk deploy`, each a function of what the
 * step before found. A step that fails throws {@link SetupStepError}, naming
 * itself and what to do; nothing here prints or logs the API key.
 */
import { readFile } from 'node:fs/promises';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { docsUrl } from '../../lambda/contract/docs.ts';
import { SIGNATURE_HEADER } from '../../lambda/contract/http.ts';
import { signBody } from '../../lambda/domain/signature.ts';
import { parseSigningKeys } from '../../lambda/domain/signing-key-ring.ts';
import type { ApideckWebhookApi } from '../../lambda/reconcile/apideck-webhook-api.ts';
import { PING_BODY } from '../../lambda/subscription-health/ping.ts';

/** A step failed: which one, why, and what to do about it. */
export class SetupStepError extends Error {
  override readonly name = 'SetupStepError';

  constructor(
    readonly step: string,
    message: string,
    readonly hint: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** What `cdk deploy` left for setup: the stack's outputs. */
export interface StackOutputs {
  readonly webhookUrl: string;
  readonly signingSecretArn: string;
}

function outputsFrom(values: Readonly<Record<string, unknown>>, where: string): StackOutputs {
  const { WebhookUrl: webhookUrl, SigningSecretArn: signingSecretArn } = values;
  if (typeof webhookUrl !== 'string' || typeof signingSecretArn !== 'string') {
    throw new SetupStepError(
      'outputs',
      `${where} has no WebhookUrl and SigningSecretArn outputs`,
      'pass the stack of the ready app (--stack) or the file `cdk deploy --outputs-file` wrote',
    );
  }
  return { webhookUrl, signingSecretArn };
}

/** Reads the outputs from `cdk deploy --outputs-file` JSON (`{ "<stack>": { ... } }`). */
export async function outputsFromFile(path: string, stack?: string): Promise<StackOutputs> {
  let parsed: Record<string, Record<string, unknown>>;
  try {
    parsed = JSON.parse(await readFile(path, 'utf8')) as typeof parsed;
  } catch (cause) {
    throw new SetupStepError('outputs', `cannot read ${path}`, 'check the path', { cause });
  }
  const name = stack ?? Object.keys(parsed)[0];
  const values = name === undefined ? undefined : parsed[name];
  if (values === undefined) {
    throw new SetupStepError(
      'outputs',
      `${path} has no stack ${name ?? ''}`.trim(),
      'pass --stack',
    );
  }
  return outputsFrom(values, `${path} (${name})`);
}

/** Reads the outputs of a deployed stack from CloudFormation. */
export async function outputsFromStack(
  stack: string,
  client = new CloudFormationClient({}),
): Promise<StackOutputs> {
  try {
    const { Stacks } = await client.send(new DescribeStacksCommand({ StackName: stack }));
    const values = Object.fromEntries(
      (Stacks?.[0]?.Outputs ?? []).map((output) => [output.OutputKey, output.OutputValue]),
    );
    return outputsFrom(values, `stack ${stack}`);
  } catch (cause) {
    if (cause instanceof SetupStepError) throw cause;
    throw new SetupStepError(
      'outputs',
      `cannot describe stack ${stack}`,
      'deploy it first (`npx cdk deploy`), check AWS_REGION and credentials, or pass --outputs-file',
      { cause },
    );
  }
}

/**
 * Stores `apiKey` as the signing secret. With `keepOld`, the keys already
 * stored stay beside it (a rotation: both verify until the old one is removed).
 */
export async function storeKey(
  secrets: SecretsManagerClient,
  secretArn: string,
  apiKey: string,
  keepOld: boolean,
): Promise<number> {
  try {
    let keys = [apiKey];
    if (keepOld) {
      const { SecretString } = await secrets.send(
        new GetSecretValueCommand({ SecretId: secretArn }),
      );
      const old = SecretString === undefined ? [] : parseSigningKeys(SecretString);
      keys = [apiKey, ...old.filter((key) => key !== apiKey)];
    }
    await secrets.send(
      new PutSecretValueCommand({
        SecretId: secretArn,
        SecretString: keys.length === 1 ? apiKey : JSON.stringify(keys),
      }),
    );
    return keys.length;
  } catch (cause) {
    // Never the cause's message: a parse error of the secret would quote key material.
    throw new SetupStepError(
      'key',
      'storing the API key in the signing secret failed',
      'check that your credentials may call secretsmanager:PutSecretValue on the secret',
      { cause: cause instanceof Error ? new Error(cause.name) : undefined },
    );
  }
}

/**
 * Sends Apideck's URL-validation body, signed with `apiKey`, until it is
 * answered `200 ignored`: that proves the URL, the stored key and the pipeline
 * without publishing anything. A warm container re-reads the secret at most
 * once per refresh interval, so a 401 right after a rotation is retried.
 */
export async function pingReceiver(
  webhookUrl: string,
  apiKey: string,
  options: { fetch?: typeof fetch; attempts?: number; waitMs?: number } = {},
): Promise<void> {
  const { fetch: fetchImpl = fetch, attempts = 8, waitMs = 10_000 } = options;
  let last = '';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, waitMs));
    try {
      const response = await fetchImpl(webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          [SIGNATURE_HEADER]: signBody(PING_BODY, apiKey),
        },
        body: PING_BODY,
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      const status = (JSON.parse(text || '{}') as { status?: unknown }).status;
      if (response.status === 200 && status === 'ignored') return;
      last = `${response.status} ${String(status)}`;
      if (response.status !== 401 && response.status < 500) break;
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
  }
  throw new SetupStepError(
    'ping',
    `the signed ping to ${webhookUrl} was answered ${last}, not 200 ignored`,
    last.startsWith('401')
      ? 'the stored key does not verify: run setup again with the API key of the Apideck application'
      : `see the receiver's logs ("webhook delivery" lines) and ${docsUrl('runbook.md')}`,
  );
}

/** What the subscription step did. */
export interface SubscriptionResult {
  readonly action: 'created' | 'updated' | 'unchanged';
  readonly id: string;
  readonly status: string;
  readonly disabledReason: string | undefined;
}

interface WebhookShape {
  readonly id?: unknown;
  readonly delivery_url?: unknown;
  readonly events?: unknown;
  readonly status?: unknown;
  readonly disabled_reason?: unknown;
}

function sameEvents(current: unknown, wanted: readonly string[]): boolean {
  return (
    Array.isArray(current) &&
    current.length === wanted.length &&
    wanted.every((event) => current.includes(event))
  );
}

function resultOf(action: SubscriptionResult['action'], webhook: unknown): SubscriptionResult {
  const shape = (webhook ?? {}) as WebhookShape;
  return {
    action,
    id: String(shape.id ?? ''),
    status: String(shape.status ?? 'unknown'),
    disabledReason:
      typeof shape.disabled_reason === 'string' && shape.disabled_reason !== 'none'
        ? shape.disabled_reason
        : undefined,
  };
}

/**
 * Creates the Apideck subscription for `webhookUrl`, or brings the existing one
 * to the wanted events, enabled. The URL of an existing subscription is never
 * changed (that would make Apideck validate it again); running again changes
 * nothing.
 */
export async function ensureSubscription(
  api: ApideckWebhookApi,
  webhookUrl: string,
  events: readonly string[],
): Promise<SubscriptionResult> {
  try {
    const webhooks = (await api.listWebhooks()) as WebhookShape[];
    const existing = webhooks.find((webhook) => webhook.delivery_url === webhookUrl);
    if (existing === undefined) {
      const created = await api.createWebhook({
        unified_api: 'vault',
        status: 'enabled',
        delivery_url: webhookUrl,
        events: [...events],
      });
      return resultOf('created', created);
    }
    if (sameEvents(existing.events, events) && existing.status === 'enabled') {
      return resultOf('unchanged', existing);
    }
    const updated = await api.updateWebhook(String(existing.id), {
      events: [...events],
      status: 'enabled',
    });
    return resultOf('updated', updated);
  } catch (cause) {
    throw new SetupStepError(
      'subscription',
      `Apideck's Webhook API refused: ${cause instanceof Error ? cause.message : String(cause)}`,
      'check APIDECK_APP_ID (--app-id) and that the key is the API key of that application',
      { cause },
    );
  }
}
