"""The ready app (bin/app.ts) written in Python against the jsii package.

It sets in code what test/python/python-synth.test.ts gives the TypeScript
ready app as CDK context (READY_APP_CONTEXT there), so the two templates
must be the same; a consumer is added in the same stack.
The CDK CLI's environment (CDK_OUTDIR, CDK_CONTEXT_JSON with the feature
flags of cdk.json) comes from the test.
"""

import os

import aws_cdk as cdk
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from cdk_nag import AwsSolutionsChecks, ServerlessChecks

from apideck_webhooks_aws import (
    ApideckWebhookReceiverProps,
    ApideckWebhooksStack,
    SubscriptionHealthOptions,
)

app = cdk.App()

stack = ApideckWebhooksStack(
    app,
    "ApideckWebhooks",
    description="Apideck webhook receiver: API Gateway, Lambda, DynamoDB idempotency, SNS fan-out",
    receiver=ApideckWebhookReceiverProps(
        event_types=["vault.connection.created", "vault.connection.revoked"],
        idempotency_retention=cdk.Duration.days(14),
        throttling_rate_limit=50,
        web_application_firewall=True,
        log_retention=logs.RetentionDays.THREE_MONTHS,
        alarm_email="ops@example.com",
        subscription_health=SubscriptionHealthOptions(
            app_id="python-app", check_interval=cdk.Duration.minutes(30)
        ),
    ),
)

if os.environ.get("NAG_PROBE"):
    # A finding cdk-nag must report (AwsSolutions-SQS3: no dead-letter queue).
    sqs.Queue(stack, "ProbeWithoutDeadLetters")

cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), ServerlessChecks(app))
app.synth()
