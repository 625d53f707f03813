#!/usr/bin/env -S npx tsx
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { ApideckWebhooksStack } from '../lib/apideck-webhooks-stack.ts';
import {
  receiverPropsFromContext,
  subscriptionHealthFromContext,
} from '../lib/context/receiver-context.ts';
import { optional } from '../lib/receiver/optional.ts';
import { ApideckSubscriptionHealth } from '../lib/receiver/subscription-health.ts';

const app = new App();

const stack = new ApideckWebhooksStack(app, 'ApideckWebhooks', {
  description: 'Apideck webhook receiver: API Gateway, Lambda, DynamoDB idempotency, SNS fan-out',
  // The CLI fills these from the caller's credentials; without any (as in CI)
  // the account stays unset and synthesis needs no AWS access.
  env: {
    ...optional('account', process.env.CDK_DEFAULT_ACCOUNT),
    ...optional('region', process.env.CDK_DEFAULT_REGION),
  },
  // Every receiver prop with a plain value, as context of the same name:
  // `cdk deploy -c alarmEmail=ops@example.com`, or `context` in cdk.json
  // (docs/configuration.md).
  receiver: receiverPropsFromContext(app.node),
});

// Subscription health and reconciliation, when the `subscriptionHealth`
// context names the Apideck application (docs/reconciliation.md).
const subscriptionHealth = subscriptionHealthFromContext(app.node);
if (subscriptionHealth) {
  new ApideckSubscriptionHealth(stack, 'SubscriptionHealth', {
    ...subscriptionHealth,
    receiver: stack.receiver,
  });
}

// Synthesis fails on any unacknowledged finding: a change that a security review
// would flag cannot be deployed silently.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
