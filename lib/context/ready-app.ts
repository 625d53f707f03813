import type { App } from 'aws-cdk-lib';
import { ApideckWebhooksStack } from '../apideck-webhooks-stack.ts';
import { optional } from '../receiver/optional.ts';
import { ApideckSubscriptionHealth } from '../receiver/subscription-health.ts';
import { receiverPropsFromContext, subscriptionHealthFromContext } from './receiver-context.ts';

/** What the ready app (`bin/app.ts`) deploys. */
export interface ReadyApp {
  readonly stack: ApideckWebhooksStack;
  /** Present when the `subscriptionHealth` context names the Apideck application. */
  readonly subscriptionHealth: ApideckSubscriptionHealth | undefined;
}

/**
 * The ready app's stack, configured from the app's CDK context: every receiver
 * prop with a plain value under its own name (`cdk deploy -c
 * alarmEmail=ops@example.com`, or `context` in cdk.json; docs/configuration.md),
 * and an `ApideckSubscriptionHealth` beside the receiver when the
 * `subscriptionHealth` context is set (docs/reconciliation.md).
 */
export function composeReadyApp(app: App): ReadyApp {
  const stack = new ApideckWebhooksStack(app, 'ApideckWebhooks', {
    description: 'Apideck webhook receiver: API Gateway, Lambda, DynamoDB idempotency, SNS fan-out',
    // The CLI fills these from the caller's credentials; without any (as in CI)
    // the account stays unset and synthesis needs no AWS access.
    env: {
      ...optional('account', process.env.CDK_DEFAULT_ACCOUNT),
      ...optional('region', process.env.CDK_DEFAULT_REGION),
    },
    ...receiverPropsFromContext(app.node),
  });
  const health = subscriptionHealthFromContext(app.node);
  return {
    stack,
    subscriptionHealth: health
      ? new ApideckSubscriptionHealth(stack, 'SubscriptionHealth', {
          ...health,
          receiver: stack.receiver,
        })
      : undefined,
  };
}
