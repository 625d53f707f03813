"""The ready app (bin/app.ts) written in Python against the jsii package, plus a consumer.

It sets in code what test/python/python-synth.test.ts gives the TypeScript
ready app as CDK context (READY_APP_CONTEXT there), so outside the consumer
(the construct ids CONSUMER_IDS) the two templates must be the same. The CDK
CLI's environment (CDK_OUTDIR, CDK_CONTEXT_JSON with the feature flags of
cdk.json) comes from the test.
"""

import os

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_sqs as sqs
from cdk_nag import AwsSolutionsChecks, ServerlessChecks

from apideck_webhooks_aws import (
    ApideckEventConsumer,
    ApideckSubscriptionHealth,
    ApideckWebhooksStack,
)

app = cdk.App()

stack = ApideckWebhooksStack(
    app,
    "ApideckWebhooks",
    description="Apideck webhook receiver: API Gateway, Lambda, DynamoDB idempotency, SNS fan-out",
    event_types=["vault.connection.created", "vault.connection.revoked"],
    idempotency_retention=cdk.Duration.days(14),
    throttling_rate_limit=50,
    memory_size_mib=512,
    web_application_firewall=True,
    log_retention=logs.RetentionDays.THREE_MONTHS,
    alarm_email="ops@example.com",
    p99_latency_alarm_threshold=cdk.Duration.seconds(2),
)
ApideckSubscriptionHealth(
    stack,
    "SubscriptionHealth",
    receiver=stack.receiver,
    app_id="python-app",
    check_interval=cdk.Duration.minutes(30),
)

# The subscriber's side: its own function (a Python one) and the consumer that feeds it.
handler_role = iam.Role(
    stack, "ConsumerHandlerRole", assumed_by=iam.ServicePrincipal("lambda.amazonaws.com")
)
handler_logs = logs.LogGroup(
    stack, "ConsumerHandlerLogs", retention=logs.RetentionDays.THREE_MONTHS
)
handler_logs.grant_write(handler_role)
handler = lambda_.Function(
    stack,
    "ConsumerHandler",
    runtime=lambda_.Runtime.PYTHON_3_14,
    handler="index.handler",
    code=lambda_.Code.from_inline(
        'def handler(event, context):\n    return {"batchItemFailures": []}\n'
    ),
    timeout=cdk.Duration.seconds(30),
    memory_size=256,
    role=handler_role,
    log_group=handler_logs,
    tracing=lambda_.Tracing.ACTIVE,
)
cdk.Validations.of(handler_role).acknowledge(
    cdk.Acknowledgment(
        id="AwsSolutions-IAM5[Resource::*]",
        reason="X-Ray's PutTraceSegments and PutTelemetryRecords take no resource; the log "
        "stream grant is on the function's own log group.",
    )
)
cdk.Validations.of(handler).acknowledge(
    cdk.Acknowledgment(
        id="Serverless-LambdaDLQ",
        reason="Invoked by its SQS event source only: a record it fails goes back to the "
        "queue and then to the consumer's dead-letter queue; a function DLQ serves "
        "asynchronous invocations only.",
    )
)
ApideckEventConsumer(
    stack,
    "Consumer",
    receiver=stack.receiver,
    event_types=["vault.connection.created", "vault.connection.revoked"],
    handler=handler,
)

if os.environ.get("NAG_PROBE"):
    # A finding cdk-nag must report (AwsSolutions-SQS3: no dead-letter queue).
    sqs.Queue(stack, "ProbeWithoutDeadLetters")

cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app), ServerlessChecks(app))
app.synth()
