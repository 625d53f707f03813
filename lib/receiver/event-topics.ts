import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { Construct } from 'constructs';
import { CATCH_ALL_ROUTE, eventTypeIdentifier } from '../../lambda/contract/event-catalogue.ts';
import { optional } from './optional.ts';

/** Construct id, output and parameter name of the catch-all topic (`"*"` is not a valid id). */
export const CATCH_ALL_IDENTIFIER = 'Unrouted';

/**
 * Protocols a trusted account may subscribe with: AWS endpoints it owns. Email,
 * SMS and HTTP(S) would carry connection data out of AWS, where no IAM or KMS
 * control follows it.
 */
export const CROSS_ACCOUNT_PROTOCOLS = ['sqs', 'lambda'] as const;

export interface EventTopicsProps {
  /** Routed event types, validated and without duplicates. */
  readonly eventTypes: readonly string[];
  readonly encryptionKey?: kms.IKey | undefined;
  readonly subscriberAccountIds: readonly string[];
  readonly parameterPrefix: string;
  /** FIFO topics; the CDK then names each topic after its path, with the `.fifo` suffix SNS requires. */
  readonly fifo: boolean;
  /** Days of the FIFO topics' archive (`ArchivePolicy.MessageRetentionPeriod`). */
  readonly archiveRetentionDays?: number | undefined;
}

/** Identifier of a route (an event type or `"*"`) in construct ids, output names and parameters. */
export function routeIdentifier(route: string): string {
  return route === CATCH_ALL_ROUTE ? CATCH_ALL_IDENTIFIER : eventTypeIdentifier(route);
}

/** Parameter name segment of a route: the event type itself, `unrouted` for the catch-all. */
function parameterSegment(route: string): string {
  return route === CATCH_ALL_ROUTE ? CATCH_ALL_IDENTIFIER.toLowerCase() : route;
}

/**
 * One SNS topic per routed event type plus the catch-all, each with an SSM
 * parameter holding its ARN under the configured prefix.
 */
export class EventTopics extends Construct {
  /** Route (event type, or `"*"` for the catch-all) -> topic. */
  public readonly topics: ReadonlyMap<string, sns.Topic>;
  /** Route -> the SSM parameter holding the topic's ARN. */
  public readonly parameters: ReadonlyMap<string, ssm.StringParameter>;

  constructor(scope: Construct, id: string, props: EventTopicsProps) {
    super(scope, id);
    const topics = new Map<string, sns.Topic>();
    const parameters = new Map<string, ssm.StringParameter>();
    for (const route of [...props.eventTypes, CATCH_ALL_ROUTE]) {
      const identifier = routeIdentifier(route);
      const topic = this.createTopic(identifier, route, props);
      topics.set(route, topic);
      parameters.set(
        route,
        new ssm.StringParameter(this, `${identifier}Parameter`, {
          parameterName: `${props.parameterPrefix}/${parameterSegment(route)}`,
          stringValue: topic.topicArn,
          description:
            route === CATCH_ALL_ROUTE
              ? 'ARN of the SNS topic of Apideck events whose type has no topic of its own'
              : `ARN of the SNS topic of Apideck "${route}" events`,
          tier: ssm.ParameterTier.STANDARD,
        }),
      );
    }
    this.topics = topics;
    this.parameters = parameters;
  }

  private createTopic(identifier: string, route: string, props: EventTopicsProps): sns.Topic {
    const topic = new sns.Topic(this, identifier, {
      displayName:
        route === CATCH_ALL_ROUTE ? 'Apideck events of unrouted types' : `Apideck ${route}`,
      enforceSSL: true,
      ...optional('masterKey', props.encryptionKey),
      ...(props.fifo
        ? {
            fifo: true,
            // Deduplicate on the handler's id (the event id), never on the body.
            contentBasedDeduplication: false,
            ...optional('messageRetentionPeriodInDays', props.archiveRetentionDays),
          }
        : {}),
    });
    if (!props.encryptionKey) {
      // The AWS managed key, set on the L1: as an imported alias on the L2,
      // grantPublish would add a kms:* statement on key/* that this key's own
      // policy (any principal of the account, via SNS) makes unnecessary.
      (topic.node.defaultChild as sns.CfnTopic).kmsMasterKeyId = 'alias/aws/sns';
    }
    if (props.subscriberAccountIds.length > 0) {
      // Same-account principals subscribe through their IAM policies; only other
      // accounts need (and get) a statement here.
      topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'TrustedAccountsSubscribe',
          principals: props.subscriberAccountIds.map(
            (account) => new iam.AccountPrincipal(account),
          ),
          actions: ['sns:Subscribe'],
          resources: [topic.topicArn],
          conditions: { StringEquals: { 'sns:Protocol': [...CROSS_ACCOUNT_PROTOCOLS] } },
        }),
      );
    }
    return topic;
  }
}
