/** The command line of `npx apideck-webhooks replay`. */
import { parseCommandLine, UsageError } from '../args.ts';

export { UsageError } from '../args.ts';

/** Parsed arguments. */
export interface ReplayArgs {
  /** The subscription to replay to (of a FIFO topic). */
  readonly subscriptionArn: string;
  /** First publish time replayed. */
  readonly from: Date;
  /** Last publish time replayed; without it SNS replays up to now and goes on delivering new messages. */
  readonly to: Date | undefined;
  readonly dryRun: boolean;
  readonly help: boolean;
}

/**
 * `arn:<partition>:sns:<region>:<account>:<topic>.fifo:<subscription id>`: SNS
 * archives and replays messages of FIFO topics only.
 */
const FIFO_SUBSCRIPTION_ARN =
  /^arn:aws[a-z-]*:sns:([a-z0-9-]+):(\d{12}):([A-Za-z0-9_-]+\.fifo):[0-9a-f-]+$/;

/** The region of a FIFO topic's subscription ARN. */
export function subscriptionRegion(subscriptionArn: string): string {
  const match = FIFO_SUBSCRIPTION_ARN.exec(subscriptionArn);
  if (match?.[1] === undefined) {
    throw new UsageError(
      `--subscription must be the ARN of a subscription to a FIFO topic (arn:aws:sns:<region>:<account>:<name>.fifo:<id>), got "${subscriptionArn}"; standard topics have no archive to replay`,
    );
  }
  return match[1];
}

/** An ISO 8601 timestamp with a time zone (`2026-12-01T09:00:00Z`). */
function timestamp(option: string, text: string): Date {
  const date = new Date(text);
  if (!/(Z|[+-]\d{2}:\d{2})$/.test(text.trim()) || Number.isNaN(date.getTime())) {
    throw new UsageError(
      `${option} takes an ISO 8601 time with a zone such as 2026-12-01T09:00:00Z, got "${text}"`,
    );
  }
  return date;
}

/**
 * Parses `--subscription <arn>` and `--from <time>` (required), `--to <time>`,
 * `--dry-run`, `--help`. `now` bounds the range: a replay cannot start in the future.
 */
export function parseReplayArgs(argv: readonly string[], now: Date): ReplayArgs {
  const { values, dryRun, help } = parseCommandLine(argv, ['subscription', 'from', 'to']);
  if (help) {
    return { subscriptionArn: '', from: now, to: undefined, dryRun: false, help: true };
  }
  if (values.subscription === undefined) throw new UsageError('--subscription is required');
  if (values.from === undefined) {
    throw new UsageError('--from is required (e.g. --from 2026-12-01T09:00:00Z)');
  }
  subscriptionRegion(values.subscription);
  const from = timestamp('--from', values.from);
  const to = values.to === undefined ? undefined : timestamp('--to', values.to);
  if (from.getTime() > now.getTime()) throw new UsageError('--from lies in the future');
  if (to !== undefined && to.getTime() <= from.getTime()) {
    throw new UsageError('--to must be later than --from');
  }
  return {
    subscriptionArn: values.subscription,
    from,
    to,
    dryRun,
    help: false,
  };
}
