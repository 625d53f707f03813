/**
 * A delivery receiver wired to the in-memory fakes, a manual clock and the
 * real key ring, router and domain: what `compose-receiver.ts` builds, minus AWS.
 */
import {
  CATCH_ALL_ROUTE,
  eventTypeIdentifier,
  VAULT_CONNECTION_EVENT_TYPES,
} from '../../lambda/contract/event-catalogue.ts';
import {
  createDeliveryReceiver,
  type DeliveryPolicy,
  type DeliveryReceiver,
  type DeliveryRequest,
} from '../../lambda/domain/receive-signed-delivery.ts';
import { createRouter } from '../../lambda/domain/routing.ts';
import { SigningKeyRing } from '../../lambda/domain/signing-key-ring.ts';
import { HOUR_MS } from '../../lambda/domain/time.ts';
import { SAMPLE_RECEIVED_AT_MS, signHex, VECTOR_KEY } from './apideck-events.ts';
import {
  InMemoryEventPublisher,
  InMemoryIdempotencyStore,
  InMemoryRetentionLedger,
  InMemorySecretReader,
  ManualClock,
} from './in-memory-ports.ts';

/** The topic ARN the test topology gives an event type. */
export function topicArnFor(eventType: string): string {
  const name = eventType === CATCH_ALL_ROUTE ? 'Unrouted' : eventTypeIdentifier(eventType);
  return `arn:aws:sns:eu-west-1:123456789012:apideck-${name}`;
}

/** `TOPIC_ARNS`: a topic per Vault connection type plus the catch-all. */
export const TEST_TOPIC_ARNS: Readonly<Record<string, string>> = Object.fromEntries(
  [...VAULT_CONNECTION_EVENT_TYPES, CATCH_ALL_ROUTE].map((type) => [type, topicArnFor(type)]),
);

/** The defaults `compose-receiver.ts` derives from the default configuration. */
export const DEFAULT_POLICY: DeliveryPolicy = {
  maxBodyBytes: 262_144,
  retentionMs: 7 * 24 * HOUR_MS,
  leaseMarginMs: 10_000,
  replayWindow: { maxAgeMs: (7 * 24 - 24) * HOUR_MS, maxFutureMs: 300_000 },
};

/** Milliseconds between two re-reads of the signing secret in the harness. */
export const KEY_REFRESH_INTERVAL_MS = 60_000;

/** Remaining invocation time every harness request reports. */
export const REMAINING_TIME_MS = 25_000;

export interface HarnessOptions {
  /** The signing secret's `SecretString` (default: the vector key). */
  readonly secret?: string;
  readonly policy?: Partial<DeliveryPolicy>;
  readonly nowMs?: number;
}

export interface DeliveryHarness {
  readonly receive: DeliveryReceiver;
  readonly store: InMemoryIdempotencyStore;
  readonly retentionLedger: InMemoryRetentionLedger;
  readonly publisher: InMemoryEventPublisher;
  readonly secret: InMemorySecretReader;
  readonly clock: ManualClock;
  readonly policy: DeliveryPolicy;
  /** Claim tokens handed out, in order. */
  readonly claimTokens: string[];
}

/** Builds a receiver on fakes, its clock just after the sample events occurred. */
export function createDeliveryHarness(options: HarnessOptions = {}): DeliveryHarness {
  const clock = new ManualClock(options.nowMs ?? SAMPLE_RECEIVED_AT_MS);
  const secret = new InMemorySecretReader(options.secret ?? VECTOR_KEY);
  const store = new InMemoryIdempotencyStore();
  const retentionLedger = new InMemoryRetentionLedger();
  const publisher = new InMemoryEventPublisher();
  const policy: DeliveryPolicy = { ...DEFAULT_POLICY, ...options.policy };
  const claimTokens: string[] = [];
  const receive = createDeliveryReceiver(
    {
      keys: new SigningKeyRing(secret, KEY_REFRESH_INTERVAL_MS, clock.now),
      store,
      retentionLedger,
      publisher,
      router: createRouter(TEST_TOPIC_ARNS),
      now: clock.now,
      newClaimToken: () => {
        const token = `claim-token-${claimTokens.length + 1}`;
        claimTokens.push(token);
        return token;
      },
    },
    policy,
  );
  return { receive, store, retentionLedger, publisher, secret, clock, policy, claimTokens };
}

/** A request carrying `body` and exactly the given signature header (`undefined`: no header). */
export function deliveryRequest(
  body: string | Uint8Array,
  signature: string | undefined,
): DeliveryRequest {
  return {
    body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body,
    signature,
    remainingTimeMs: REMAINING_TIME_MS,
  };
}

/** A request carrying `body` signed as Apideck does (canonical form, hex, the vector key). */
export function signedDeliveryRequest(body: string): DeliveryRequest {
  return deliveryRequest(body, signHex(body));
}
