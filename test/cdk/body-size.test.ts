import { describe, expect, it } from 'vitest';
import { ENVIRONMENT, ENVIRONMENT_DEFAULTS } from '../../lambda/contract/environment.ts';
import { bodyTooLargeBody } from '../../lambda/contract/http.ts';
import {
  LAMBDA_SYNC_PAYLOAD_BYTES,
  MAX_BODY_BYTES_LIMIT,
  SNS_MAX_MESSAGE_BYTES,
  worstCaseInvocationEventBytes,
} from '../../lambda/contract/limits.ts';
import { resolveReceiverProps } from '../../lib/receiver/resolve-props.ts';
import { synthStack } from './support/synth.ts';

describe('the body size limit', () => {
  it('is at most what SNS can carry, and the default is that limit', () => {
    expect(MAX_BODY_BYTES_LIMIT).toBe(SNS_MAX_MESSAGE_BYTES);
    expect(ENVIRONMENT_DEFAULTS.maxBodyBytes).toBeLessThanOrEqual(MAX_BODY_BYTES_LIMIT);
  });

  it("keeps even a worst-case invocation event of the largest body under Lambda's 6 MB", () => {
    expect(worstCaseInvocationEventBytes(MAX_BODY_BYTES_LIMIT)).toBeLessThan(
      LAMBDA_SYNC_PAYLOAD_BYTES,
    );
  });

  it('refuses at synthesis a maxBodyBytes larger than the pipeline can carry, naming the prop', () => {
    expect(() =>
      resolveReceiverProps('Stack/Receiver', { maxBodyBytes: MAX_BODY_BYTES_LIMIT + 1 }),
    ).toThrow(/Stack\/Receiver: maxBodyBytes must be at most 262144 \(SNS's message limit/);
    expect(() => resolveReceiverProps('Stack/Receiver', { maxBodyBytes: 6 * 1024 * 1024 })).toThrow(
      /maxBodyBytes/,
    );
  });

  it('refuses at synthesis a maxBodyBytes below 1 KiB or not a whole number', () => {
    expect(() => resolveReceiverProps('R', { maxBodyBytes: 1023 })).toThrow(/maxBodyBytes/);
    expect(() => resolveReceiverProps('R', { maxBodyBytes: 2048.5 })).toThrow(/maxBodyBytes/);
  });

  it('gives the handler the same limit as the web ACL', () => {
    const { template } = synthStack({ maxBodyBytes: 100_000 });
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as {
      Properties: { Environment: { Variables: Record<string, unknown> } };
    };
    expect(fn.Properties.Environment.Variables[ENVIRONMENT.maxBodyBytes]).toBe('100000');
    const acl = Object.values(template.findResources('AWS::WAFv2::WebACL'))[0] as {
      Properties: { CustomResponseBodies: Record<string, { Content: string }> };
    };
    expect(JSON.parse(acl.Properties.CustomResponseBodies.BodyTooLarge?.Content ?? '')).toEqual(
      bodyTooLargeBody(100_000),
    );
  });

  it("answers a body over API Gateway's own 10 MB with the same 413 JSON", () => {
    const { template } = synthStack();
    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'REQUEST_TOO_LARGE',
      StatusCode: '413',
      ResponseTemplates: {
        'application/json': JSON.stringify(bodyTooLargeBody(ENVIRONMENT_DEFAULTS.maxBodyBytes)),
      },
    });
  });
});
