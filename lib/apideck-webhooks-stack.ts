import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import type { Construct } from 'constructs';
import { ApideckWebhookReceiver } from './apideck-webhook-receiver.ts';
import { routeIdentifier } from './receiver/event-topics.ts';
import type { ApideckWebhookReceiverProps } from './receiver-props.ts';

/** Properties of `ApideckWebhooksStack`: the stack's own and the receiver's, side by side. */
export interface ApideckWebhooksStackProps extends StackProps, ApideckWebhookReceiverProps {
  /**
   * ARN of the ACM certificate for the receiver's `domainName`, imported as its
   * `certificate` (in the stack's region). Ignored when `certificate` is set.
   *
   * @default - none
   */
  readonly certificateArn?: string;

  /**
   * Id of the Route 53 hosted zone of the receiver's `domainName`, imported
   * with `hostedZoneName` as its `hostedZone` (an alias record is created in
   * it). Ignored when `hostedZone` is set.
   *
   * @default - none
   */
  readonly hostedZoneId?: string;

  /**
   * Name of that hosted zone, such as `example.com`; required with `hostedZoneId`.
   *
   * @default - none
   */
  readonly hostedZoneName?: string;
}

/** The deployable unit: one receiver and the outputs an operator needs after `cdk deploy`. */
export class ApideckWebhooksStack extends Stack {
  public readonly receiver: ApideckWebhookReceiver;

  constructor(scope: Construct, id: string, props: ApideckWebhooksStackProps = {}) {
    super(scope, id, props);
    // The receiver reads its own props and ignores the stack's.
    this.receiver = new ApideckWebhookReceiver(this, 'Receiver', {
      ...props,
      ...this.importDomainConstructs(props),
    });

    new CfnOutput(this, 'WebhookUrl', {
      description: 'Register this URL in Apideck as the webhook delivery URL',
      value: this.receiver.webhookUrl,
    });
    if (this.receiver.apiWebhookUrl !== this.receiver.webhookUrl) {
      new CfnOutput(this, 'ApiWebhookUrl', {
        description:
          "The API's own URL of /webhooks, beside the custom domain (setup moves a subscription from it)",
        value: this.receiver.apiWebhookUrl,
      });
    }
    new CfnOutput(this, 'SigningSecretArn', {
      description: 'Store the Apideck API key here (aws secretsmanager put-secret-value)',
      value: this.receiver.signingSecret.secretArn,
    });
    new CfnOutput(this, 'IdempotencyTableName', {
      description: 'DynamoDB table of claimed event ids',
      value: this.receiver.table.tableName,
    });
    for (const [route, topic] of Object.entries(this.receiver.topics)) {
      new CfnOutput(this, `${routeIdentifier(route)}TopicArn`, {
        description: `SNS topic of Apideck events, route "${route}"`,
        value: topic.topicArn,
      });
    }
  }

  /** The certificate and the hosted zone named by ARN and id, unless the props give them. */
  private importDomainConstructs(
    props: ApideckWebhooksStackProps,
  ): Pick<ApideckWebhookReceiverProps, 'certificate' | 'hostedZone'> {
    const imported: { certificate?: acm.ICertificate; hostedZone?: route53.IHostedZone } = {};
    if (props.certificate === undefined && props.certificateArn !== undefined) {
      imported.certificate = acm.Certificate.fromCertificateArn(
        this,
        'Certificate',
        props.certificateArn,
      );
    }
    if (props.hostedZone === undefined && props.hostedZoneId !== undefined) {
      if (props.hostedZoneName === undefined) {
        throw new Error(`${this.node.path}: hostedZoneId needs hostedZoneName`);
      }
      imported.hostedZone = route53.HostedZone.fromHostedZoneAttributes(this, 'HostedZone', {
        hostedZoneId: props.hostedZoneId,
        zoneName: props.hostedZoneName,
      });
    }
    return imported;
  }
}
