import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_TABLE_ACTIONS } from '../../lambda/contract/idempotency-record.ts';
import {
  actionsOf,
  logicalId,
  type PolicyStatementJson,
  roleStatements,
  type Synthesized,
  synthReceiver,
  synthStack,
} from './support/synth.ts';

/** Statements of the receiver's role whose actions all belong to one service. */
function statementsFor(statements: PolicyStatementJson[], service: string) {
  return statements.filter((s) => actionsOf(s).every((a) => a.startsWith(`${service}:`)));
}

describe("receiver role's permissions", () => {
  let synth: Synthesized;
  let statements: PolicyStatementJson[];
  beforeAll(() => {
    synth = synthStack();
    const role = synth.stack.receiver.handler.role;
    if (!role) throw new Error('function has no role');
    statements = roleStatements(synth.template, logicalId(role));
  });

  it('allows exactly the item actions the handler uses, on the table only', () => {
    const dynamo = statementsFor(statements, 'dynamodb');
    expect(dynamo).toEqual([
      {
        Effect: 'Allow',
        Action: [...IDEMPOTENCY_TABLE_ACTIONS].sort(),
        Resource: { 'Fn::GetAtt': [logicalId(synth.stack.receiver.table), 'Arn'] },
      },
    ]);
  });

  it('allows sns:Publish on exactly the receiver topics', () => {
    const snsStatements = statementsFor(statements, 'sns');
    expect(snsStatements).toHaveLength(1);
    expect(snsStatements[0]).toMatchObject({ Effect: 'Allow', Action: 'sns:Publish' });
    const topics = Object.values(synth.stack.receiver.topics).map((t) => ({ Ref: logicalId(t) }));
    expect(snsStatements[0]?.Resource).toEqual(expect.arrayContaining(topics));
    expect(snsStatements[0]?.Resource).toHaveLength(topics.length);
  });

  it('allows reading exactly the signing secret', () => {
    expect(statementsFor(statements, 'secretsmanager')).toEqual([
      {
        Effect: 'Allow',
        Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
        Resource: { Ref: logicalId(synth.stack.receiver.signingSecret) },
      },
    ]);
  });

  it('writes only to its own log group', () => {
    expect(statementsFor(statements, 'logs')).toEqual([
      {
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: { 'Fn::GetAtt': [logicalId(synth.stack.receiver.handlerLogGroup), 'Arn'] },
      },
    ]);
  });

  it('has no other statement than the X-Ray writes, which have no resource-level permissions', () => {
    const known = ['dynamodb', 'sns', 'secretsmanager', 'logs'].flatMap((service) =>
      statementsFor(statements, service),
    );
    expect(statements.filter((s) => !known.includes(s))).toEqual([
      {
        Effect: 'Allow',
        Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
        Resource: '*',
      },
    ]);
  });

  it('has no managed policy (not even AWSLambdaBasicExecutionRole)', () => {
    const roleId = logicalId(synth.stack.receiver.handler.role ?? synth.stack);
    expect(synth.template.toJSON().Resources[roleId].Properties.ManagedPolicyArns).toBeUndefined();
  });

  it('needs no KMS permission with the AWS managed keys', () => {
    expect(statements.flatMap(actionsOf).filter((a) => a.startsWith('kms:'))).toEqual([]);
  });
});

describe("receiver role's permissions with a customer managed key", () => {
  it('allows KMS actions on that key only', () => {
    let key: kms.Key | undefined;
    const synth = synthReceiver((stack) => {
      key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      return { encryptionKey: key };
    });
    if (!key || !synth.receiver.handler.role) throw new Error('no key or role');
    const kmsStatements = roleStatements(
      synth.template,
      logicalId(synth.receiver.handler.role),
    ).filter((s) => actionsOf(s).some((a) => a.startsWith('kms:')));
    expect(kmsStatements.length).toBeGreaterThan(0);
    for (const statement of kmsStatements) {
      expect(statement.Resource).toEqual({ 'Fn::GetAtt': [logicalId(key), 'Arn'] });
    }
  });

  it('allows KMS actions on no key when the secret is imported and nothing else is encrypted with a customer key', () => {
    const synth = synthReceiver((stack) => ({
      signingSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Existing', 'apideck/api-key'),
    }));
    if (!synth.receiver.handler.role) throw new Error('no role');
    const actions = roleStatements(synth.template, logicalId(synth.receiver.handler.role)).flatMap(
      actionsOf,
    );
    expect(actions.filter((a) => a.startsWith('kms:'))).toEqual([]);
  });
});
