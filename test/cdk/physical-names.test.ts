import { describe, expect, it } from 'vitest';
import { synthStack } from './support/synth.ts';

/** CloudFormation properties that fix a resource's physical name. */
const NAME_PROPERTIES = [
  'Name',
  'TopicName',
  'TableName',
  'FunctionName',
  'RoleName',
  'LogGroupName',
  'QueueName',
  'SecretName',
  'PolicyName',
];

/** A property value CloudFormation resolves to another resource (not a chosen name). */
function isReference(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ('Ref' in value || 'Fn::GetAtt' in value);
}

describe('physical names', () => {
  it('are left to CloudFormation except for the discovery parameters and the execution logs', () => {
    const { template } = synthStack();
    const resources = template.toJSON().Resources as Record<
      string,
      { Type: string; Properties?: Record<string, unknown> }
    >;
    const named = Object.values(resources)
      .filter((resource) =>
        NAME_PROPERTIES.some((property) => {
          const value = resource.Properties?.[property];
          return value !== undefined && !isReference(value);
        }),
      )
      .map((resource) => resource.Type);
    // Inline policy names are local to their role and the REST API's name is not
    // unique; the SSM parameter names are the documented discovery interface, and
    // API Gateway itself names the execution log group.
    expect(new Set(named)).toEqual(
      new Set([
        'AWS::IAM::Policy',
        'AWS::ApiGateway::RestApi',
        'AWS::SSM::Parameter',
        'AWS::Logs::LogGroup',
      ]),
    );
  });
});
