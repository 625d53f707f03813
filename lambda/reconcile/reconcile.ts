/**
 * Reconciliation: walks Apideck's event log over a window and runs every event
 * it finds for this receiver through the live claim -> publish -> complete
 * path. The idempotency table decides: an event already published is a
 * duplicate, one in progress is left alone, so however often it runs and
 * whatever arrives live meanwhile, nothing is published twice.
 */
import type { ClaimAndPublishOutcome } from '../domain/claim-and-publish.ts';
import type { ApideckEvent } from '../domain/envelope.ts';
import { payloadFingerprint } from '../domain/fingerprint.ts';
import { classifyRefusal } from '../domain/idempotency.ts';
import { checkReplayWindow, type ReplayWindowPolicy } from '../domain/replay-window.ts';
import { readLogEntry } from './log-entry.ts';
import type { EventLogSource, EventRecoverer, IdempotencyRecordReader } from './ports.ts';
import type { ReconcileWindow } from './window.ts';

/** Why an event or entry was not recovered. */
export interface SkippedCounts {
  /** Entries for another delivery URL. */
  readonly otherEndpoint: number;
  /** Entries whose body is not an event (the URL-validation POST). */
  readonly notAnEvent: number;
  /** Entries whose body claims to be an event but is not a valid one. */
  readonly invalid: number;
  /** Events another delivery holds a live claim on (that delivery will finish it). */
  readonly inProgress: number;
  /** Events whose `occurred_at` the receiver would refuse (replay window). */
  readonly outOfWindow: number;
  /** Events known with another payload under the same id. */
  readonly payloadConflict: number;
  /** Events too large to publish. */
  readonly tooLarge: number;
}

/** What one run did. */
export interface ReconcileSummary {
  readonly dryRun: boolean;
  readonly window: ReconcileWindow;
  /** Log entries read, for any endpoint. */
  readonly scanned: number;
  /** Distinct events for this receiver among them. */
  readonly events: number;
  /** Events published by this run (a dry run: that it would publish). */
  readonly recovered: number;
  /** Events already published. */
  readonly alreadyDelivered: number;
  readonly skipped: SkippedCounts;
  /** Events a dependency failure kept from being recovered; a later run retries them. */
  readonly failed: number;
  /** Recovered events whose record could not be marked completed (a later delivery may duplicate them). */
  readonly completionFailed: number;
  /** Whether the run stopped before the end of the log (`shouldStop`); the next run goes on. */
  readonly stoppedEarly: boolean;
}

/** What a run needs. */
export interface ReconcileDependencies {
  readonly eventLog: EventLogSource;
  /** The live path; a dry run never calls it. */
  readonly recover: EventRecoverer;
  /** A dry run reads the records instead. */
  readonly records: IdempotencyRecordReader;
  readonly now: () => number;
  /** Called with every outcome of the live path (metrics). */
  readonly onOutcome?: (outcome: ClaimAndPublishOutcome) => void;
  /** Asked before each event: `true` ends the run early (a Lambda near its timeout). */
  readonly shouldStop?: () => boolean;
}

/** What to reconcile. */
export interface ReconcileRequest {
  readonly window: ReconcileWindow;
  /** This receiver's delivery URL, normalised (`normaliseUrl`). */
  readonly webhookUrl: string;
  readonly replayWindow: ReplayWindowPolicy;
  readonly dryRun: boolean;
}

type Verdict =
  | 'recovered'
  | 'already-delivered'
  | 'in-progress'
  | 'out-of-window'
  | 'payload-conflict'
  | 'too-large'
  | 'invalid'
  | 'failed'
  | 'completion-failed';

/**
 * What an existing record makes of an event, alike for the live path's outcome
 * and a dry run's reading of the record, so a dry run predicts the live run.
 */
const RECORD_VERDICTS = {
  duplicate: 'already-delivered',
  'in-progress': 'in-progress',
  'payload-conflict': 'payload-conflict',
} as const satisfies Record<string, Verdict>;

function verdictOf(outcome: ClaimAndPublishOutcome): Verdict {
  switch (outcome.kind) {
    case 'published':
      return outcome.completed ? 'recovered' : 'completion-failed';
    case 'duplicate':
    case 'in-progress':
    case 'payload-conflict':
      return RECORD_VERDICTS[outcome.kind];
    case 'too-large':
      return 'too-large';
    case 'replay-refused':
      return 'out-of-window';
    case 'unavailable':
      return 'failed';
  }
}

async function dryVerdict(
  event: ApideckEvent,
  records: IdempotencyRecordReader,
  nowMs: number,
): Promise<Verdict> {
  let existing: Awaited<ReturnType<IdempotencyRecordReader['read']>>;
  try {
    existing = await records.read(event.eventId);
  } catch {
    return 'failed';
  }
  // No claim of ours exists: a token no record can hold.
  const refusal = classifyRefusal(existing, payloadFingerprint(event.payload), nowMs, '');
  switch (refusal.kind) {
    case 'retry':
    case 'own-claim':
      return 'recovered';
    case 'duplicate':
    case 'in-progress':
    case 'payload-conflict':
      return RECORD_VERDICTS[refusal.kind];
  }
}

/**
 * Runs one reconciliation. Errors reading the log (Apideck refusing, a
 * malformed page) propagate: the run did not finish, and says so.
 */
export async function reconcile(
  request: ReconcileRequest,
  dependencies: ReconcileDependencies,
): Promise<ReconcileSummary> {
  const counts = {
    scanned: 0,
    otherEndpoint: 0,
    notAnEvent: 0,
    invalid: 0,
    inProgress: 0,
    outOfWindow: 0,
    payloadConflict: 0,
    tooLarge: 0,
    recovered: 0,
    alreadyDelivered: 0,
    failed: 0,
    completionFailed: 0,
  };
  // One event may have an entry per attempt, and a page may repeat an entry: each is run once.
  const seen = new Set<string>();
  const window = {
    startDate: new Date(request.window.sinceMs).toISOString(),
    endDate: new Date(request.window.untilMs).toISOString(),
  };
  let stoppedEarly = false;
  walk: for await (const page of dependencies.eventLog.pages(window)) {
    for (const entry of page) {
      if (dependencies.shouldStop?.() === true) {
        stoppedEarly = true;
        break walk;
      }
      counts.scanned++;
      const reading = readLogEntry(entry, request.webhookUrl);
      if (reading.kind === 'other-endpoint') counts.otherEndpoint++;
      else if (reading.kind === 'not-an-event') counts.notAnEvent++;
      else if (reading.kind === 'invalid') counts.invalid++;
      if (reading.kind !== 'event' || seen.has(reading.event.eventId)) continue;
      seen.add(reading.event.eventId);
      const { event } = reading;
      const nowMs = dependencies.now();
      let verdict: Verdict;
      if (checkReplayWindow(event.occurredAtMs, nowMs, request.replayWindow) !== 'inside') {
        verdict = 'out-of-window';
      } else if (request.dryRun) {
        verdict = await dryVerdict(event, dependencies.records, nowMs);
      } else {
        const outcome = await dependencies.recover(event);
        dependencies.onOutcome?.(outcome);
        verdict = verdictOf(outcome);
      }
      tally(counts, verdict);
    }
  }
  return {
    dryRun: request.dryRun,
    window: request.window,
    scanned: counts.scanned,
    events: seen.size,
    recovered: counts.recovered,
    alreadyDelivered: counts.alreadyDelivered,
    skipped: {
      otherEndpoint: counts.otherEndpoint,
      notAnEvent: counts.notAnEvent,
      invalid: counts.invalid,
      inProgress: counts.inProgress,
      outOfWindow: counts.outOfWindow,
      payloadConflict: counts.payloadConflict,
      tooLarge: counts.tooLarge,
    },
    failed: counts.failed,
    completionFailed: counts.completionFailed,
    stoppedEarly,
  };
}

function tally(counts: Record<string, number>, verdict: Verdict): void {
  const key: Record<Verdict, string[]> = {
    recovered: ['recovered'],
    'completion-failed': ['recovered', 'completionFailed'],
    'already-delivered': ['alreadyDelivered'],
    'in-progress': ['inProgress'],
    'out-of-window': ['outOfWindow'],
    'payload-conflict': ['payloadConflict'],
    'too-large': ['tooLarge'],
    invalid: ['invalid'],
    failed: ['failed'],
  };
  for (const name of key[verdict]) counts[name] = (counts[name] ?? 0) + 1;
}

/** The total of the skipped counts. */
export function skippedTotal(skipped: SkippedCounts): number {
  return Object.values(skipped).reduce((sum, n) => sum + n, 0);
}

/**
 * The one-line summary:
 * `reconcile: scanned 42 entries (17 events) from ... to ...: recovered 3, already delivered 14, skipped 25 (...)`.
 */
export function summaryLine(summary: ReconcileSummary): string {
  const s = summary.skipped;
  const reasons = [
    ['other endpoint', s.otherEndpoint],
    ['not an event', s.notAnEvent],
    ['invalid', s.invalid],
    ['in progress', s.inProgress],
    ['out of window', s.outOfWindow],
    ['payload conflict', s.payloadConflict],
    ['too large', s.tooLarge],
  ]
    .filter(([, n]) => n !== 0)
    .map(([reason, n]) => `${reason} ${n}`);
  const parts = [
    `${summary.dryRun ? 'would recover' : 'recovered'} ${summary.recovered}`,
    `already delivered ${summary.alreadyDelivered}`,
    `skipped ${skippedTotal(s)}${reasons.length > 0 ? ` (${reasons.join(', ')})` : ''}`,
  ];
  if (summary.failed > 0) parts.push(`failed ${summary.failed}`);
  if (summary.completionFailed > 0) parts.push(`completion failed ${summary.completionFailed}`);
  if (summary.stoppedEarly) parts.push('stopped early');
  const from = new Date(summary.window.sinceMs).toISOString();
  const to = new Date(summary.window.untilMs).toISOString();
  return (
    `reconcile${summary.dryRun ? ' (dry run)' : ''}: scanned ${summary.scanned} entries ` +
    `(${summary.events} events) from ${from} to ${to}: ${parts.join(', ')}`
  );
}
