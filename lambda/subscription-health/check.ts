/**
 * Subscription health: reads the Apideck subscriptions that deliver to this
 * receiver's URL and reports their state. Apideck disables a subscription
 * silently (`retry_limit` after ~24 h of failed retries,
 * `delivery_url_validation_failed`, `usage_limit`); from then on nothing is
 * delivered. Optionally re-enables a `retry_limit` subscription, but only once
 * a signed ping to the receiver answers 2xx: re-enabling a receiver that still
 * fails would only make Apideck disable it again.
 */

import { isJsonObject } from '../domain/json-body.ts';
import { normaliseUrl } from '../reconcile/log-entry.ts';

/** What the check needs from Apideck's Webhook API. */
export interface SubscriptionApi {
  listWebhooks(): Promise<unknown[]>;
  updateWebhook(id: string, changes: Readonly<Record<string, unknown>>): Promise<unknown>;
}

/** Sends a signed ping to the receiver; resolves to the HTTP status (0 for no answer). */
export type ReceiverPing = () => Promise<number>;

/** A subscription to this receiver that is not enabled. */
export interface DisabledSubscription {
  readonly id: string;
  /** `disabled_reason` as Apideck gave it (`unknown` when absent). */
  readonly reason: string;
}

/** What one check found and did. */
export interface HealthReport {
  /** Subscriptions whose `delivery_url` is this receiver's. */
  readonly subscriptions: number;
  /** Those still disabled after the check (re-enabled ones are not). */
  readonly disabled: readonly DisabledSubscription[];
  /** Ids re-enabled by this check. */
  readonly reenabled: readonly string[];
  /** Why a `retry_limit` subscription was left disabled, when re-enabling was on. */
  readonly notReenabled: readonly { readonly id: string; readonly why: string }[];
}

/** Options of {@link checkSubscriptionHealth}. */
export interface HealthCheckOptions {
  /** This receiver's delivery URL, normalised. */
  readonly webhookUrl: string;
  readonly autoReenable: boolean;
}

function text(source: Record<string, unknown>, key: string): string | undefined {
  const value = source[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * Runs one check. Errors of the API propagate (the caller counts a failed
 * check); a failed re-enable is reported, not thrown.
 */
export async function checkSubscriptionHealth(
  api: SubscriptionApi,
  ping: ReceiverPing,
  options: HealthCheckOptions,
): Promise<HealthReport> {
  const mine = (await api.listWebhooks()).filter(isJsonObject).filter((webhook) => {
    const url = text(webhook, 'delivery_url');
    return url !== undefined && normaliseUrl(url) === options.webhookUrl;
  });
  const disabled: DisabledSubscription[] = [];
  const reenabled: string[] = [];
  const notReenabled: { id: string; why: string }[] = [];
  let pingStatus: number | undefined;
  for (const webhook of mine) {
    const id = text(webhook, 'id') ?? '';
    if (text(webhook, 'status') === 'enabled') continue;
    const reason = text(webhook, 'disabled_reason') ?? 'unknown';
    if (!options.autoReenable || reason !== 'retry_limit' || id === '') {
      disabled.push({ id, reason });
      continue;
    }
    pingStatus ??= await ping();
    if (pingStatus < 200 || pingStatus >= 300) {
      disabled.push({ id, reason });
      notReenabled.push({ id, why: `the signed ping answered ${pingStatus || 'nothing'}` });
      continue;
    }
    try {
      const updated = await api.updateWebhook(id, { status: 'enabled' });
      // Apideck validates the URL again on enabling; its answer has the verdict.
      if (isJsonObject(updated) && text(updated, 'status') === 'enabled') {
        reenabled.push(id);
        continue;
      }
      const after = isJsonObject(updated)
        ? (text(updated, 'disabled_reason') ?? 'unknown')
        : 'unknown';
      disabled.push({ id, reason: after });
      notReenabled.push({ id, why: `Apideck left it disabled (${after})` });
    } catch (error) {
      disabled.push({ id, reason });
      notReenabled.push({ id, why: error instanceof Error ? error.message : String(error) });
    }
  }
  return { subscriptions: mine.length, disabled, reenabled, notReenabled };
}
