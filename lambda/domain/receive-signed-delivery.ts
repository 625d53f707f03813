import { DeadlineExceededError, DependencyError } from '../errors.ts';
import { canonicalBodyOf } from './canonical-body.ts';
import {
  type ClaimAndPublishDependencies,
  type ClaimAndPublishPolicy,
  createClaimAndPublish,
} from './claim-and-publish.ts';
import { type CallOptions, Deadline, RESERVE_MS } from './deadline.ts';
import type { DeliveryOutcome } from './delivery-outcome.ts';
import { parseEnvelope } from './envelope.ts';
import { parseJsonBody } from './json-body.ts';
import { isValidSignature, signedMessageCandidates } from './signature.ts';

/** One request as the receiver sees it, decoded from whatever transport carried it. */
export interface DeliveryRequest {
  /** The body bytes exactly as sent (base64 already decoded). */
  readonly body: Uint8Array;
  /** The signature header's value (`SIGNATURE_HEADER`), if any. */
  readonly signature: string | undefined;
  /** Time left in the invocation, in ms: every AWS call ends inside it, and the claim's lease covers it. */
  readonly remainingTimeMs: number;
}

/** The limits the receiver enforces. */
export interface DeliveryPolicy extends ClaimAndPublishPolicy {
  readonly maxBodyBytes: number;
}

/** The signing keys, cached, with a rate-limited refresh (see `SigningKeyRing`). */
export interface SigningKeys {
  current(options?: CallOptions): Promise<readonly string[]>;
  refresh(options?: CallOptions): Promise<readonly string[] | undefined>;
}

/** What the receiver needs from the outside world. */
export interface DeliveryDependencies extends ClaimAndPublishDependencies {
  readonly keys: SigningKeys;
}

/** Receives one signed delivery: verify the signature, parse, check, then claim and publish. */
export type DeliveryReceiver = (request: DeliveryRequest) => Promise<DeliveryOutcome>;

/**
 * Builds the receiver. Dependency failures become `unavailable` outcomes; any
 * other error is a bug and propagates to the handler (500).
 */
export function createDeliveryReceiver(
  dependencies: DeliveryDependencies,
  policy: DeliveryPolicy,
): DeliveryReceiver {
  const { keys, now } = dependencies;
  const claimAndPublish = createClaimAndPublish(dependencies, policy);

  function keysBudget(deadline: Deadline): CallOptions {
    const options = deadline.budget(RESERVE_MS.beforeKeys);
    if (options === undefined) {
      throw new DeadlineExceededError('SecretsManager', 'too little time left to read the keys');
    }
    return options;
  }

  async function verify(
    request: DeliveryRequest,
    candidates: Uint8Array[],
    deadline: Deadline,
  ): Promise<boolean> {
    const signature = request.signature ?? '';
    if (isValidSignature(signature, candidates, await keys.current(keysBudget(deadline)))) {
      return true;
    }
    const refreshed = await keys.refresh(keysBudget(deadline));
    return refreshed !== undefined && isValidSignature(signature, candidates, refreshed);
  }

  return async (request) => {
    const { body } = request;
    if (body.byteLength > policy.maxBodyBytes) {
      return { kind: 'too-large', limitBytes: policy.maxBodyBytes, sizeBytes: body.byteLength };
    }
    if (request.signature === undefined || request.signature.trim() === '') {
      return { kind: 'signature-rejected', reason: 'missing' };
    }
    const deadline = Deadline.fromRemainingTime(request.remainingTimeMs, now);
    const json = parseJsonBody(
      Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8'),
    );
    const canonical = canonicalBodyOf(json);
    const candidates = signedMessageCandidates(body, canonical?.text);
    try {
      if (!(await verify(request, candidates, deadline)))
        return { kind: 'signature-rejected', reason: 'mismatch' };
    } catch (error) {
      if (!(error instanceof DependencyError)) throw error;
      return {
        kind: 'unavailable',
        dependency: error.dependency,
        error,
        publishFailed: false,
        publishUncertain: false,
        releaseFailed: false,
      };
    }

    if (!json.ok)
      return { kind: 'invalid', problem: 'invalid-json', reason: 'body is not valid JSON' };
    const envelope = parseEnvelope(json.value);
    if (envelope.kind === 'not-an-event') return { kind: 'ignored' };
    if (envelope.kind === 'invalid') {
      return { kind: 'invalid', problem: 'invalid-envelope', reason: envelope.reason };
    }
    return claimAndPublish(envelope.event, {
      deadline,
      leaseMs: request.remainingTimeMs + policy.leaseMarginMs,
      fingerprint: canonical?.payloadFingerprint,
    });
  };
}
