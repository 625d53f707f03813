import { CfnParameter, Duration, RemovalPolicy, type Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONSUMER_ENVIRONMENT } from '../../lambda/contract/consumer-environment.ts';
import { CONSUMER_METRICS } from '../../lambda/contract/consumer-metrics.ts';
import { ApideckEventConsumer } from '../../lib/consumer/apideck-event-consumer.ts';
import { handlerFunction, type SynthesizedConsumer, synthConsumer } from './support/consumer.ts';
import { actionsOf, logicalId, type PolicyStatementJson, roleStatements } from './support/synth.ts';

const TABLE_VARIABLE = CONSUMER_ENVIRONMENT.idempotencyTableName;

function getAtt(construct: Parameters<typeof logicalId>[0], attribute = 'Arn') {
  return { 'Fn::GetAtt': [logicalId(construct), attribute] };
}

/** The statements of the handler role's policies that name a DynamoDB action. */
function tableStatements(synth: SynthesizedConsumer): PolicyStatementJson[] {
  const role = synth.handler.role as iam.Role;
  return roleStatements(synth.template, logicalId(role)).filter((statement) =>
    actionsOf(statement).some((action) => action.startsWith('dynamodb:')),
  );
}

/** The environment variables of the handler function's CloudFormation resource. */
function handlerVariables(
  synth: SynthesizedConsumer,
  fn: lambda.Function,
): Record<string, unknown> {
  const resource = synth.template.toJSON().Resources[logicalId(fn)] as {
    Properties: { Environment?: { Variables?: Record<string, unknown> } };
  };
  return resource.Properties.Environment?.Variables ?? {};
}

/** An imported function, with the role it runs as, as another team's stack would hand it over. */
function importedHandler(stack: Parameters<typeof handlerFunction>[0]): lambda.IFunction {
  return lambda.Function.fromFunctionAttributes(stack, 'Imported', {
    functionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:crm-sync',
    role: iam.Role.fromRoleArn(stack, 'ImportedRole', 'arn:aws:iam::123456789012:role/crm-sync', {
      mutable: true,
    }),
    sameEnvironment: true,
  });
}

describe('ApideckEventConsumer', () => {
  describe('with the defaults', () => {
    let synth: SynthesizedConsumer;
    beforeAll(() => {
      synth = synthConsumer();
    });

    it('encrypts both queues with SQS managed keys and lets them be reached over TLS only', () => {
      for (const queue of [synth.consumer.queue, synth.consumer.deadLetterQueue]) {
        synth.template.hasResource('AWS::SQS::Queue', {
          Properties: Match.objectLike({ SqsManagedSseEnabled: true }),
        });
        synth.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [{ Ref: logicalId(queue) }],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Effect: 'Deny',
                Condition: { Bool: { 'aws:SecureTransport': 'false' } },
              }),
            ]),
          },
        });
      }
      expect(
        Object.keys(
          synth.template.findResources('AWS::SQS::Queue', {
            Properties: { SqsManagedSseEnabled: true },
          }),
        ).sort(),
      ).toEqual(
        [logicalId(synth.consumer.queue), logicalId(synth.consumer.deadLetterQueue)].sort(),
      );
    });

    it('moves a record to the dead-letter queue after 5 receives', () => {
      synth.template.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: {
          deadLetterTargetArn: getAtt(synth.consumer.deadLetterQueue),
          maxReceiveCount: 5,
        },
      });
    });

    it('keeps messages 14 days in both queues', () => {
      const fourteenDays = Duration.days(14).toSeconds();
      for (const queue of [synth.consumer.queue, synth.consumer.deadLetterQueue]) {
        expect(
          synth.template.toJSON().Resources[logicalId(queue)].Properties.MessageRetentionPeriod,
        ).toBe(fourteenDays);
      }
    });

    it('subscribes the queue to the topics of its event types with raw delivery and the dead-letter queue', () => {
      synth.template.resourceCountIs('AWS::SNS::Subscription', 1);
      synth.template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'sqs',
        TopicArn: { Ref: logicalId(synth.receiver.topic('vault.connection.created')) },
        Endpoint: getAtt(synth.consumer.queue),
        RawMessageDelivery: true,
        RedrivePolicy: { deadLetterTargetArn: getAtt(synth.consumer.deadLetterQueue) },
        FilterPolicy: Match.absent(),
      });
    });

    it('sets the visibility timeout to six times the function timeout', () => {
      synth.template.hasResourceProperties('AWS::SQS::Queue', {
        VisibilityTimeout: 180,
        RedrivePolicy: Match.anyValue(),
      });
    });

    it('invokes the handler from the queue with partial batch responses, 10 records at a time', () => {
      synth.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: getAtt(synth.consumer.queue),
        FunctionName: { Ref: logicalId(synth.handler) },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 10,
        MaximumBatchingWindowInSeconds: Match.absent(),
      });
    });

    it('lets the handler consume the queue', () => {
      const role = synth.handler.role as iam.Role;
      const consume = roleStatements(synth.template, logicalId(role)).find((statement) =>
        actionsOf(statement).includes('sqs:ReceiveMessage'),
      );
      expect(consume && actionsOf(consume)).toEqual([
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ]);
      expect(consume?.Resource).toEqual(getAtt(synth.consumer.queue));
    });

    it('lets the handler get, put, update and delete items of the table, nothing else', () => {
      const statements = tableStatements(synth);
      expect(statements.flatMap(actionsOf).sort()).toEqual([
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
      ]);
      expect(statements.map((statement) => statement.Resource)).toEqual([
        getAtt(synth.consumer.table as dynamodb.Table),
      ]);
    });

    it("creates a table of Powertools Idempotency's layout: string key id, time to live on expiration", () => {
      synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      });
    });

    it('creates the table on demand, with point-in-time recovery, encryption and deletion protection, retained', () => {
      synth.template.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
          DeletionProtectionEnabled: true,
        }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    it("gives the handler the table's name in its environment", () => {
      expect(handlerVariables(synth, synth.handler as lambda.Function)).toEqual({
        [TABLE_VARIABLE]: { Ref: logicalId(synth.consumer.table as dynamodb.Table) },
      });
    });

    /** An alarm that fires on the first datum of 1 or more and notifies `topic` when it fires and when it recovers. */
    const onFirstOneNotifying = (topic: { Ref: string }) => ({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
    });

    it('alarms as soon as the dead-letter queue holds a message, notifying the receiver alarm topic both ways', () => {
      const topic = { Ref: logicalId(synth.receiver.alarmTopic) };
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [
          { Name: 'QueueName', Value: getAtt(synth.consumer.deadLetterQueue, 'QueueName') },
        ],
        Statistic: 'Maximum',
        Period: 60,
        ...onFirstOneNotifying(topic),
      });
      expect(logicalId(synth.consumer.deadLetterQueueAlarm)).toMatch(/DeadLetterQueueAlarm/);
    });

    it("alarms on the handler's first possible duplicate, notifying the receiver alarm topic both ways", () => {
      const topic = { Ref: logicalId(synth.receiver.alarmTopic) };
      synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: CONSUMER_METRICS.namespace,
        MetricName: CONSUMER_METRICS.possibleDuplicate,
        Dimensions: [
          {
            Name: CONSUMER_METRICS.functionNameDimension,
            Value: { Ref: logicalId(synth.handler) },
          },
        ],
        Statistic: 'Sum',
        Period: 300,
        ...onFirstOneNotifying(topic),
      });
      expect(logicalId(synth.consumer.possibleDuplicateAlarm)).toMatch(/PossibleDuplicateAlarm/);
    });

    it('names no resource: CloudFormation does', () => {
      for (const [type, property] of [
        ['AWS::SQS::Queue', 'QueueName'],
        ['AWS::DynamoDB::Table', 'TableName'],
        ['AWS::CloudWatch::Alarm', 'AlarmName'],
      ] as const) {
        for (const resource of Object.values(synth.template.findResources(type))) {
          expect(resource.Properties).not.toHaveProperty(property);
        }
      }
    });
  });

  describe('the visibility timeout', () => {
    it('adds the batching window to six times the function timeout', () => {
      const { template } = synthConsumer({
        consumer: () => ({ maxBatchingWindow: Duration.seconds(20), batchSize: 100 }),
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        VisibilityTimeout: 200,
        RedrivePolicy: Match.anyValue(),
      });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        MaximumBatchingWindowInSeconds: 20,
        BatchSize: 100,
      });
    });

    it("uses Lambda's 3-second default for a function that sets no timeout", () => {
      const { template } = synthConsumer({
        handler: (stack) => handlerFunction(stack, { timeout: undefined } as never),
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        VisibilityTimeout: 18,
        RedrivePolicy: Match.anyValue(),
      });
    });

    it('accepts exactly six times the function timeout', () => {
      const { template } = synthConsumer({
        consumer: () => ({ visibilityTimeout: Duration.minutes(3) }),
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        VisibilityTimeout: 180,
        RedrivePolicy: Match.anyValue(),
      });
    });

    it('is refused below six times the function timeout, naming the minimum', () => {
      expect(() =>
        synthConsumer({ consumer: () => ({ visibilityTimeout: Duration.seconds(179) }) }),
      ).toThrow(
        /ConsumerTest\/Consumer: visibilityTimeout \(2 minutes 59 seconds\) is below six times the handler's timeout \(6 × 30 seconds = 3 minutes\)/,
      );
    });

    it('is refused below six times a handlerTimeout given for an imported function', () => {
      expect(() =>
        synthConsumer({
          handler: importedHandler,
          consumer: () => ({
            handlerTimeout: Duration.minutes(1),
            visibilityTimeout: Duration.minutes(5),
          }),
        }),
      ).toThrow(/below six times the handler's timeout \(6 × 1 minute = 6 minutes\)/);
    });

    it("refuses a handlerTimeout shorter than the function's own", () => {
      expect(() =>
        synthConsumer({ consumer: () => ({ handlerTimeout: Duration.seconds(10) }) }),
      ).toThrow(
        /handlerTimeout \(10 seconds\) is shorter than the timeout of ConsumerTest\/Handler \(30 seconds\)/,
      );
    });

    it("refuses a handlerTimeout above Lambda's maximum", () => {
      expect(() =>
        synthConsumer({
          handler: importedHandler,
          consumer: () => ({ handlerTimeout: Duration.minutes(16) }),
        }),
      ).toThrow(/handlerTimeout \(16 minutes\) is above Lambda's maximum of 15 minutes/);
    });

    it('asks for a visibilityTimeout when the function timeout is known only at deploy time', () => {
      const tokenTimeout = (stack: Stack) =>
        handlerFunction(stack, {
          timeout: Duration.seconds(
            new CfnParameter(stack, 'Timeout', { type: 'Number' }).valueAsNumber,
          ),
        });
      expect(() => synthConsumer({ handler: tokenTimeout })).toThrow(
        /the handler's timeout is known only at deploy time \(a token\): set visibilityTimeout/,
      );
      synthConsumer({
        handler: tokenTimeout,
        consumer: () => ({ visibilityTimeout: Duration.minutes(6) }),
      }).template.hasResourceProperties('AWS::SQS::Queue', {
        VisibilityTimeout: 360,
        RedrivePolicy: Match.anyValue(),
      });
    });

    it('follows the function behind an alias: its timeout, its environment and its name', () => {
      const synth = synthConsumer({
        handler: (stack) => {
          const fn = handlerFunction(stack, { timeout: Duration.seconds(40) });
          return new lambda.Alias(stack, 'Live', {
            aliasName: 'live',
            version: fn.currentVersion as lambda.IVersion,
          }) as lambda.IFunction;
        },
      });
      const alias = synth.handler as lambda.Alias;
      synth.template.hasResourceProperties('AWS::SQS::Queue', {
        VisibilityTimeout: 240,
        RedrivePolicy: Match.anyValue(),
      });
      synth.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: {
          'Fn::Join': ['', [Match.objectLike({ 'Fn::Select': [6, Match.anyValue()] }), ':live']],
        },
      });
      expect(handlerVariables(synth, alias.version.lambda as lambda.Function)).toEqual({
        [TABLE_VARIABLE]: { Ref: logicalId(synth.consumer.table as dynamodb.Table) },
      });
      // The runtime reports the function's own name, never the alias's.
      expect(synth.stack.resolve(synth.consumer.metricPossibleDuplicate().dimensions)).toEqual({
        [CONSUMER_METRICS.functionNameDimension]: {
          Ref: logicalId(alias.version.lambda as lambda.Function),
        },
      });
    });
  });

  describe('with an imported function', () => {
    let synth: SynthesizedConsumer;
    beforeAll(() => {
      synth = synthConsumer({ handler: importedHandler });
    });

    it("assumes Lambda's maximum timeout: a visibility timeout of 90 minutes, and warns", () => {
      synth.template.hasResourceProperties('AWS::SQS::Queue', {
        VisibilityTimeout: 5400,
        RedrivePolicy: Match.anyValue(),
      });
      Annotations.fromStack(synth.stack).hasWarning(
        '/ConsumerTest/Consumer',
        Match.stringLikeRegexp('cannot be read.*Set handlerTimeout'),
      );
    });

    it('warns that its owner must set the table variable, which it cannot', () => {
      Annotations.fromStack(synth.stack).hasWarning(
        '/ConsumerTest/Consumer',
        Match.stringLikeRegexp(
          `give it ${TABLE_VARIABLE} = the name of ConsumerTest/Consumer/IdempotencyTable`,
        ),
      );
    });

    it('still gets the event source and the grants on the role it was imported with', () => {
      synth.template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: 'crm-sync',
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      synth.template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: ['crm-sync'],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: Match.arrayWith(['sqs:ReceiveMessage']) }),
            Match.objectLike({ Action: Match.arrayWith(['dynamodb:PutItem']) }),
          ]),
        },
      });
    });

    it('takes its timeout from handlerTimeout, without the timeout warning', () => {
      const { stack, template } = synthConsumer({
        handler: importedHandler,
        consumer: () => ({ handlerTimeout: Duration.seconds(45) }),
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        VisibilityTimeout: 270,
        RedrivePolicy: Match.anyValue(),
      });
      Annotations.fromStack(stack).hasNoWarning('*', Match.stringLikeRegexp('cannot be read'));
    });
  });

  describe('with a table passed in', () => {
    it('creates no table and points the handler and its grants at the one given', () => {
      let given: dynamodb.Table | undefined;
      const synth = synthConsumer({
        consumer: (stack) => {
          given = new dynamodb.Table(stack, 'Shared', {
            partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
            timeToLiveAttribute: 'expiration',
            pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
            removalPolicy: RemovalPolicy.DESTROY,
          });
          return { table: given as dynamodb.ITable };
        },
      });
      const table = given as dynamodb.Table;
      expect(synth.consumer.table).toBe(table);
      // The receiver's own table and the one given.
      synth.template.resourceCountIs('AWS::DynamoDB::Table', 2);
      expect(handlerVariables(synth, synth.handler as lambda.Function)).toEqual({
        [TABLE_VARIABLE]: { Ref: logicalId(table) },
      });
      expect(tableStatements(synth).map((statement) => statement.Resource)).toEqual([
        getAtt(table),
      ]);
    });

    it("refuses a table without Powertools Idempotency's layout, such as the receiver's", () => {
      expect(() =>
        synthConsumer({
          consumer: (_stack, receiver) => ({ table: receiver.table as dynamodb.ITable }),
        }),
      ).toThrow(
        /table ConsumerTest\/Receiver\/IdempotencyTable\/Resource cannot hold idempotency records: its partition key is "event_id" \(S\), its time to live is on "expires_at"; it needs a string partition key "id"/,
      );
    });

    it('refuses a TableV2 with a sort key', () => {
      expect(() =>
        synthConsumer({
          consumer: (stack) => ({
            table: new dynamodb.TableV2(stack, 'Sorted', {
              partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
              sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
              timeToLiveAttribute: 'expiration',
            }) as dynamodb.ITable,
          }),
        }),
      ).toThrow(/cannot hold idempotency records: it has a sort key;/);
    });

    it('accepts an imported table, which it cannot inspect', () => {
      const synth = synthConsumer({
        consumer: (stack) => ({
          table: dynamodb.Table.fromTableName(stack, 'Existing', 'crm-idempotency'),
        }),
      });
      expect(handlerVariables(synth, synth.handler as lambda.Function)).toEqual({
        [TABLE_VARIABLE]: 'crm-idempotency',
      });
    });
  });

  describe('a function shared by two consumers', () => {
    it('is refused when the second would give it another table', () => {
      expect(() =>
        synthConsumer({
          consumer: (stack, receiver, handler) => {
            new ApideckEventConsumer(stack, 'First', {
              receiver,
              handler,
              eventTypes: ['vault.connection.revoked'],
            });
            return {};
          },
        }),
      ).toThrow(
        /ConsumerTest\/Handler already records its events in the table of ConsumerTest\/First.*pass that consumer's table/,
      );
    });

    it("is accepted when the second shares the first one's table", () => {
      const synth = synthConsumer({
        consumer: (stack, receiver, handler) => {
          const first = new ApideckEventConsumer(stack, 'First', {
            receiver,
            handler,
            eventTypes: ['vault.connection.revoked'],
          });
          return { table: first.table };
        },
      });
      synth.template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
      // The receiver's table and the first consumer's.
      synth.template.resourceCountIs('AWS::DynamoDB::Table', 2);
    });
  });

  describe('on a FIFO receiver', () => {
    let synth: SynthesizedConsumer;
    beforeAll(() => {
      synth = synthConsumer({ receiver: { fifo: true } });
    });

    it('creates FIFO queues that keep the deduplication id SNS passes on', () => {
      for (const queue of [synth.consumer.queue, synth.consumer.deadLetterQueue]) {
        expect(synth.template.toJSON().Resources[logicalId(queue)].Properties).toMatchObject({
          FifoQueue: true,
          ContentBasedDeduplication: false,
          DeduplicationScope: 'messageGroup',
          FifoThroughputLimit: 'perMessageGroupId',
        });
      }
    });

    it('subscribes the FIFO queue to the FIFO topic with raw delivery', () => {
      synth.template.hasResourceProperties('AWS::SNS::Subscription', {
        TopicArn: { Ref: logicalId(synth.receiver.topic('vault.connection.created')) },
        Endpoint: getAtt(synth.consumer.queue),
        RawMessageDelivery: true,
      });
    });

    it('refuses a batching window, which Lambda does not offer on FIFO queues', () => {
      expect(() =>
        synthConsumer({
          receiver: { fifo: true },
          consumer: () => ({ maxBatchingWindow: Duration.seconds(5) }),
        }),
      ).toThrow(/maxBatchingWindow: Lambda has no batching window for FIFO queues/);
    });
  });

  describe('options', () => {
    it('filters on connectors and unified APIs in the subscription', () => {
      const { template } = synthConsumer({
        consumer: () => ({ connectors: ['salesforce', 'hubspot'], unifiedApis: ['crm'] }),
      });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        FilterPolicy: { connector: ['salesforce', 'hubspot'], unified_api: ['crm'] },
      });
    });

    it('refuses an empty filter list', () => {
      expect(() => synthConsumer({ consumer: () => ({ connectors: [] }) })).toThrow(
        /connectors: name at least one, or leave it unset for all/,
      );
    });

    it('refuses a maxReceiveCount SQS would refuse', () => {
      expect(() => synthConsumer({ consumer: () => ({ maxReceiveCount: 0 }) })).toThrow(
        /maxReceiveCount must be a whole number from 1 to 1000 \(got 0\)/,
      );
    });

    it("refuses an event type without a topic, with the receiver's message", () => {
      expect(() =>
        synthConsumer({ consumer: () => ({ eventTypes: ['crm.lead.created'] }) }),
      ).toThrow(/"crm.lead.created" has no topic/);
    });

    it('passes maxConcurrency and maxReceiveCount on', () => {
      const { template } = synthConsumer({
        consumer: () => ({ maxConcurrency: 5, maxReceiveCount: 3 }),
      });
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        ScalingConfig: { MaximumConcurrency: 5 },
      });
      template.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }),
      });
    });

    it('notifies another alarm topic when given one', () => {
      let topic: sns.Topic | undefined;
      const { template } = synthConsumer({
        consumer: (stack) => {
          topic = new sns.Topic(stack, 'TeamAlarms', { enforceSSL: true });
          return { alarmTopic: topic };
        },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        AlarmActions: [{ Ref: logicalId(topic as sns.Topic) }],
      });
    });

    it('deletes the created table with the stack when deletion protection is off', () => {
      const { template } = synthConsumer({ consumer: () => ({ tableDeletionProtection: false }) });
      template.hasResource('AWS::DynamoDB::Table', {
        Properties: Match.objectLike({
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          DeletionProtectionEnabled: false,
        }),
        DeletionPolicy: 'Delete',
      });
    });
  });

  describe('with a customer managed key', () => {
    let synth: SynthesizedConsumer;
    let key: kms.Key;
    beforeAll(() => {
      synth = synthConsumer({
        consumer: (stack) => {
          key = new kms.Key(stack, 'ConsumerKey', { enableKeyRotation: true });
          return { encryptionKey: key };
        },
      });
    });

    it('encrypts both queues and the table with it', () => {
      for (const queue of [synth.consumer.queue, synth.consumer.deadLetterQueue]) {
        expect(
          synth.template.toJSON().Resources[logicalId(queue)].Properties.KmsMasterKeyId,
        ).toEqual(getAtt(key));
      }
      synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: getAtt(key) },
      });
    });

    it('lets SNS use the key to deliver from the subscribed topic', () => {
      synth.template.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'sns.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
              Condition: {
                ArnEquals: {
                  'aws:SourceArn': {
                    Ref: logicalId(synth.receiver.topic('vault.connection.created')),
                  },
                },
              },
            }),
          ]),
        },
      });
    });

    it('lets the handler decrypt the queue and use the key for the table', () => {
      const role = synth.handler.role as iam.Role;
      const keyActions = roleStatements(synth.template, logicalId(role))
        .filter((statement) => JSON.stringify(statement.Resource) === JSON.stringify(getAtt(key)))
        .flatMap(actionsOf);
      expect([...new Set(keyActions)].sort()).toEqual([
        'kms:Decrypt',
        'kms:Encrypt',
        'kms:GenerateDataKey*',
        'kms:ReEncrypt*',
      ]);
    });
  });
});
