import { Annotations, Aspects, type IAspect } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct, IConstruct } from 'constructs';

/** Id of the synth warning, for `Annotations` acknowledgements and tests. */
export const NO_ALARM_RECIPIENT_WARNING = 'apideck-webhooks:no-alarm-recipient';

/**
 * Warns at synthesis when nobody would hear an alarm: no `alarmEmail` and no
 * subscription to the alarm topic anywhere in the app. Checked once the whole
 * app exists (an aspect), so a subscription added after the receiver counts.
 */
export function warnWithoutAlarmRecipient(scope: Construct, topic: sns.ITopic): void {
  const check: IAspect = {
    visit(node: IConstruct): void {
      if (node !== scope) return;
      const subscribed = node.node.root.node
        .findAll()
        .some(
          (construct) =>
            construct instanceof sns.CfnSubscription && construct.topicArn === topic.topicArn,
        );
      if (!subscribed) {
        Annotations.of(scope).addWarningV2(
          NO_ALARM_RECIPIENT_WARNING,
          'No alarm recipient: set alarmEmail (cdk deploy -c alarmEmail=ops@example.com) or subscribe to alarmTopic, or no alarm reaches anyone.',
        );
      }
    },
  };
  Aspects.of(scope).add(check);
}
