/**
 * Configuration of the reconciler and the subscription-health check, read once
 * (at cold start, or when the CLI starts) from the same environment as the
 * receiver's plus `APIDECK_*` and `WEBHOOK_URL`
 * (`lambda/contract/reconciliation.ts`).
 */
import { loadConfig, type ReceiverConfig } from '../config.ts';
import { ENVIRONMENT } from '../contract/environment.ts';
import { APIDECK_ENVIRONMENT, APIDECK_ENVIRONMENT_DEFAULTS } from '../contract/reconciliation.ts';
import { ConfigurationError } from '../errors.ts';
import { normaliseUrl } from './log-entry.ts';

type Environment = Readonly<Record<string, string | undefined>>;

/** Where the API key comes from. */
export type ApiKeySource =
  | { readonly kind: 'environment'; readonly apiKey: string }
  /** The first key of the secret (a JSON array lists the current key first). */
  | { readonly kind: 'secret'; readonly secretId: string };

/** The Apideck side of the configuration. */
export interface ApideckConfig {
  readonly appId: string;
  readonly apiKey: ApiKeySource;
  readonly apiUrl: string;
  /** This receiver's delivery URL, normalised. */
  readonly webhookUrl: string;
}

/** The reconciler's configuration: the receiver's, plus Apideck's. */
export interface ReconcilerConfig {
  readonly receiver: Omit<ReceiverConfig, 'signingSecretId'>;
  readonly apideck: ApideckConfig;
}

function value(env: Environment, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

function url(env: Environment, name: string, fallback?: string): string {
  const raw = value(env, name) ?? fallback;
  if (raw === undefined) throw new ConfigurationError(name, 'is required');
  const normalised = normaliseUrl(raw);
  if (normalised === undefined || !/^https?:\/\//.test(normalised)) {
    throw new ConfigurationError(name, `must be an http(s) URL, got "${raw}"`);
  }
  return normalised;
}

/** Reads and validates the Apideck variables. */
export function loadApideckConfig(env: Environment): ApideckConfig {
  const appId = value(env, APIDECK_ENVIRONMENT.appId);
  if (appId === undefined) throw new ConfigurationError(APIDECK_ENVIRONMENT.appId, 'is required');
  const apiKey = value(env, APIDECK_ENVIRONMENT.apiKey);
  const secretId = value(env, ENVIRONMENT.signingSecretId);
  let source: ApiKeySource;
  if (apiKey !== undefined) source = { kind: 'environment', apiKey };
  else if (secretId !== undefined) source = { kind: 'secret', secretId };
  else {
    throw new ConfigurationError(
      APIDECK_ENVIRONMENT.apiKey,
      `is required when ${ENVIRONMENT.signingSecretId} is not set`,
    );
  }
  return {
    appId,
    apiKey: source,
    apiUrl: url(env, APIDECK_ENVIRONMENT.apiUrl, APIDECK_ENVIRONMENT_DEFAULTS.apiUrl).replace(
      /\/+$/,
      '',
    ),
    webhookUrl: url(env, APIDECK_ENVIRONMENT.webhookUrl),
  };
}

/**
 * Reads the reconciler's configuration. The receiver's variables are
 * validated by the receiver's own rules (`loadConfig`); only its secret is
 * optional here, when `APIDECK_API_KEY` is given.
 *
 * @throws ConfigurationError naming the first missing or invalid variable.
 */
export function loadReconcilerConfig(env: Environment): ReconcilerConfig {
  const apideck = loadApideckConfig(env);
  const { signingSecretId: _unused, ...receiver } = loadConfig({
    ...env,
    // The receiver requires its secret; the reconciler reads it only for the key.
    [ENVIRONMENT.signingSecretId]: value(env, ENVIRONMENT.signingSecretId) ?? 'not-used',
  });
  return { receiver, apideck };
}
