import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CATCH_ALL_ROUTE,
  eventTypeIdentifier,
  VAULT_CONNECTION_EVENT_TYPES,
} from '../../lambda/contract/event-catalogue.ts';
import { CROSS_ACCOUNT_PROTOCOLS } from '../../lib/receiver/event-topics.ts';
import { logicalId, type Synthesized, synthStack } from './support/synth.ts';

const ROUTES = [...VAULT_CONNECTION_EVENT_TYPES, CATCH_ALL_ROUTE];

/** Logical ids of the topics in the template, but the alarm topic (tested in alarms.test.ts). */
function eventTopicIds({ stack, template }: Synthesized): string[] {
  const alarmTopic = logicalId(stack.receiver.alarmTopic);
  return Object.keys(template.findResources('AWS::SNS::Topic')).filter((id) => id !== alarmTopic);
}

describe('event topics', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthStack();
  });

  it('has one topic per Vault connection event type plus the catch-all, besides the alarm topic', () => {
    expect(Object.keys(synth.stack.receiver.topics)).toEqual(ROUTES);
    expect(eventTopicIds(synth)).toHaveLength(ROUTES.length);
  });

  it.each(ROUTES)('outputs the ARN of the %s topic', (route) => {
    const id = route === CATCH_ALL_ROUTE ? 'Unrouted' : eventTypeIdentifier(route);
    synth.template.hasOutput(`${id}TopicArn`, {
      Value: { Ref: logicalId(synth.stack.receiver.topic(route)) },
    });
  });

  it.each(ROUTES)('publishes the ARN of the %s topic as an SSM String parameter', (route) => {
    const segment = route === CATCH_ALL_ROUTE ? 'unrouted' : route;
    synth.template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: `/apideck-webhooks/topics/${segment}`,
      Type: 'String',
      Value: { Ref: logicalId(synth.stack.receiver.topic(route)) },
    });
  });

  it('publishes the parameters under a configured prefix', () => {
    const { template } = synthStack({ topicParameterPrefix: '/team-a/apideck' });
    template.hasResourceProperties('AWS::SSM::Parameter', {
      Name: '/team-a/apideck/vault.connection.created',
    });
  });

  it('routes only the configured event types, plus the catch-all', () => {
    const custom = synthStack({ eventTypes: ['crm.contact.updated'] });
    expect(Object.keys(custom.stack.receiver.topics)).toEqual(['crm.contact.updated', '*']);
    expect(eventTopicIds(custom)).toHaveLength(2);
  });

  it('encrypts every event topic with KMS', () => {
    const topics = synth.template.findResources('AWS::SNS::Topic');
    for (const id of eventTopicIds(synth)) {
      expect(topics[id]).toMatchObject({ Properties: { KmsMasterKeyId: 'alias/aws/sns' } });
    }
  });

  it('refuses publishing over plain HTTP on every topic', () => {
    for (const topic of Object.values(synth.stack.receiver.topics)) {
      synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: logicalId(topic) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    }
  });

  it('lets no other account subscribe to an event topic by default', () => {
    const eventTopics = new Set(eventTopicIds(synth));
    const policies = Object.values(synth.template.findResources('AWS::SNS::TopicPolicy')).filter(
      (policy) =>
        (policy as { Properties: { Topics: { Ref: string }[] } }).Properties.Topics.every((topic) =>
          eventTopics.has(topic.Ref),
        ),
    );
    expect(policies).toHaveLength(ROUTES.length);
    const allows = policies.flatMap((policy) =>
      (
        policy as { Properties: { PolicyDocument: { Statement: { Effect: string }[] } } }
      ).Properties.PolicyDocument.Statement.filter((s) => s.Effect === 'Allow'),
    );
    expect(allows).toEqual([]);
  });

  it('lets exactly the configured accounts subscribe AWS endpoints to every topic', () => {
    const { stack, template } = synthStack({
      subscriberAccountIds: ['111111111111', '222222222222'],
    });
    for (const topic of Object.values(stack.receiver.topics)) {
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: logicalId(topic) }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            {
              Sid: 'TrustedAccountsSubscribe',
              Effect: 'Allow',
              Action: 'sns:Subscribe',
              Principal: {
                AWS: [
                  { 'Fn::Join': ['', Match.arrayWith([':iam::111111111111:root'])] },
                  { 'Fn::Join': ['', Match.arrayWith([':iam::222222222222:root'])] },
                ],
              },
              Resource: { Ref: logicalId(topic) },
              Condition: { StringEquals: { 'sns:Protocol': [...CROSS_ACCOUNT_PROTOCOLS] } },
            },
          ]),
        },
      });
    }
  });
});
