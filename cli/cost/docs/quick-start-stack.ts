/**
 * AWS's inbound-webhook quick start, for comparison in docs/cost.md: a function
 * behind a function URL, a secret for the signing key, one alarm on the
 * function's errors. Only synthesized, never deployed: its code is a placeholder.
 */
import { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';

export class QuickStartStack extends Stack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const secret = new secretsmanager.Secret(this, 'SigningSecret');
    const fn = new lambda.Function(this, 'Receiver', {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: 256,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => ({ statusCode: 200 });'),
      environment: { SIGNING_SECRET_ARN: secret.secretArn },
    });
    secret.grantRead(fn);
    fn.addFunctionUrl({ authType: lambda.FunctionUrlAuthType.NONE });
    new cloudwatch.Alarm(this, 'Errors', {
      metric: fn.metricErrors(),
      threshold: 1,
      evaluationPeriods: 1,
    });
  }
}
