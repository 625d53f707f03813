/**
 * The request that starts an SNS replay: `SetSubscriptionAttributes` with the
 * subscription's `ReplayPolicy` (https://docs.aws.amazon.com/sns/latest/dg/message-archiving-and-replay-subscriber.html).
 */
import type { SetSubscriptionAttributesCommandInput } from '@aws-sdk/client-sns';

/** The subscription attribute that starts (or replaces) a replay. */
export const REPLAY_POLICY_ATTRIBUTE = 'ReplayPolicy';

/** The subscription attribute SNS reports a replay's progress in (`Pending`, `In progress`, `Completed`, `Failed`). */
export const REPLAY_STATUS_ATTRIBUTE = 'ReplayStatus';

/** A replay of the messages published from `from` (to `to`, else up to now and on). */
export interface ReplayRange {
  readonly from: Date;
  readonly to?: Date | undefined;
}

/** The `ReplayPolicy` JSON: timestamps are the only point type SNS supports. */
export function replayPolicy(range: ReplayRange): string {
  return JSON.stringify({
    PointType: 'Timestamp',
    StartingPoint: range.from.toISOString(),
    ...(range.to === undefined ? {} : { EndingPoint: range.to.toISOString() }),
  });
}

/** The `SetSubscriptionAttributes` input that replays `range` to one subscription. */
export function replayRequest(
  subscriptionArn: string,
  range: ReplayRange,
): SetSubscriptionAttributesCommandInput {
  return {
    SubscriptionArn: subscriptionArn,
    AttributeName: REPLAY_POLICY_ATTRIBUTE,
    AttributeValue: replayPolicy(range),
  };
}
