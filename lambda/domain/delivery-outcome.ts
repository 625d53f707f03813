import type { Dependency } from '../errors.ts';
import type { ApideckEvent } from './envelope.ts';
import type { ReplayWindowVerdict } from './replay-window.ts';
import type { Route } from './routing.ts';

/**
 * Every way one delivery can end. The handler maps each kind to exactly one
 * HTTP answer, one log line and one set of metrics; nothing else decides them.
 */
export type DeliveryOutcome =
  /**
   * Published to SNS. `completed` is false when marking the record COMPLETED
   * failed afterwards. `droppedAttributes` names attributes whose values no
   * subscription could carry; `recovered` marks an event recovered from
   * Apideck's event log instead of delivered live.
   */
  | {
      readonly kind: 'published';
      readonly event: ApideckEvent;
      readonly route: Route;
      readonly messageId: string;
      readonly completed: boolean;
      readonly completionError?: Error;
      readonly droppedAttributes: readonly string[];
      readonly recovered: boolean;
    }
  /** Already published by an earlier delivery. */
  | { readonly kind: 'duplicate'; readonly event: ApideckEvent }
  /** Another delivery of the event holds a live claim. */
  | {
      readonly kind: 'in-progress';
      readonly event: ApideckEvent;
      readonly retryAfterSeconds: number;
    }
  /** The event id is known with a different payload. */
  | { readonly kind: 'payload-conflict'; readonly event: ApideckEvent }
  /** Validly signed, but not an event (such as Apideck's URL-validation POST). */
  | { readonly kind: 'ignored' }
  /** Validly signed, but not valid JSON or not a valid envelope. */
  | {
      readonly kind: 'invalid';
      readonly problem: 'invalid-json' | 'invalid-envelope';
      readonly reason: string;
    }
  /** No signature, or none that matches a configured key. */
  | { readonly kind: 'signature-rejected'; readonly reason: 'missing' | 'mismatch' }
  /** The body, or the message it would make, exceeds a limit. */
  | {
      readonly kind: 'too-large';
      readonly limitBytes: number;
      readonly sizeBytes: number;
      readonly event?: ApideckEvent;
    }
  /** `occurred_at` lies outside the replay window. */
  | {
      readonly kind: 'replay-refused';
      readonly event: ApideckEvent;
      readonly verdict: Exclude<ReplayWindowVerdict, 'inside'>;
    }
  /**
   * A dependency failed. `publishFailed` marks a failed SNS publish whose
   * claim was released (`releaseFailed` if even that failed, leaving the lease
   * to expire). `publishUncertain` marks a publish that SNS may have accepted
   * although it failed (its answer was lost): the retry that follows may
   * deliver the event a second time.
   */
  | {
      readonly kind: 'unavailable';
      readonly dependency: Dependency;
      readonly error: Error;
      readonly event?: ApideckEvent;
      readonly publishFailed: boolean;
      readonly publishUncertain: boolean;
      readonly releaseFailed: boolean;
    };

/** The kind of a {@link DeliveryOutcome}. */
export type DeliveryOutcomeKind = DeliveryOutcome['kind'];
