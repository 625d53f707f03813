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
  'DashboardName',
  'AlarmName',
];

/** A property value CloudFormation resolves to another resource (not a chosen name). */
function isReference(value: unknown): boolean {
  return typeof value === 'object' && value !== null && ('Ref' in value || 'Fn::GetAtt' in value);
}

describe('physical names', () => {
  it('are left to CloudFormation except where a name is the interface or CloudWatch needs one', () => {
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
    // API Gateway itself names the execution log group. CloudWatch lists
    // dashboards and saved queries by name (a saved query must have one), and
    // the CDK names composite alarms from their construct path.
    expect(new Set(named)).toEqual(
      new Set([
        'AWS::IAM::Policy',
        'AWS::ApiGateway::RestApi',
        'AWS::SSM::Parameter',
        'AWS::Logs::LogGroup',
        'AWS::CloudWatch::Dashboard',
        'AWS::Logs::QueryDefinition',
        'AWS::CloudWatch::CompositeAlarm',
      ]),
    );
  });
});
