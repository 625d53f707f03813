import { describe, expect, it } from 'vitest';
import { CATCH_ALL_ROUTE } from '../../../lambda/contract/event-catalogue.ts';
import { createRouter } from '../../../lambda/domain/routing.ts';
import { TEST_TOPIC_ARNS, topicArnFor } from '../../support/delivery-harness.ts';

const router = createRouter(TEST_TOPIC_ARNS);
const CATCH_ALL = topicArnFor(CATCH_ALL_ROUTE);

describe('createRouter', () => {
  it('routes a configured type to its own topic', () => {
    expect(router('vault.connection.revoked')).toEqual({
      topicArn: topicArnFor('vault.connection.revoked'),
      routed: true,
    });
  });

  it('sends an unknown type to the catch-all topic, not routed', () => {
    expect(router('crm.contact.updated')).toEqual({ topicArn: CATCH_ALL, routed: false });
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty'])(
    'sends the Object.prototype member name %s to the catch-all topic',
    (eventType) => {
      expect(router(eventType)).toEqual({ topicArn: CATCH_ALL, routed: false });
    },
  );

  it('does not route the catch-all key itself as a type of its own', () => {
    expect(router(CATCH_ALL_ROUTE)).toEqual({ topicArn: CATCH_ALL, routed: false });
  });

  it('matches event types exactly (case-sensitive)', () => {
    expect(router('Vault.Connection.Created').routed).toBe(false);
  });

  it('routes a __proto__ type that is configured as an own key', () => {
    const map: Record<string, string> = JSON.parse(
      `{"*":"${CATCH_ALL}","__proto__":"arn:aws:sns:eu-west-1:123456789012:proto"}`,
    );
    expect(createRouter(map)('__proto__')).toEqual({
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:proto',
      routed: true,
    });
  });

  it('refuses a topic map without a catch-all entry', () => {
    expect(() => createRouter({ 'vault.connection.created': topicArnFor('x') })).toThrow(TypeError);
  });
});
