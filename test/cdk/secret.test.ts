import { Match } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENVIRONMENT } from '../../lambda/contract/environment.ts';
import { logicalId, type Synthesized, synthReceiver, synthStack } from './support/synth.ts';

describe('signing secret', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthStack();
  });

  it('is created with a generated placeholder, never a value in the template', () => {
    synth.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 64 },
    });
    const secret = synth.template.toJSON().Resources[logicalId(synth.stack.receiver.signingSecret)];
    expect(secret.Properties.SecretString).toBeUndefined();
  });

  it("denies reading its value to every principal but the receiver's role", () => {
    synth.template.hasResourceProperties('AWS::SecretsManager::ResourcePolicy', {
      SecretId: { Ref: logicalId(synth.stack.receiver.signingSecret) },
      ResourcePolicy: {
        Statement: [
          {
            Effect: 'Deny',
            Principal: { AWS: '*' },
            Action: 'secretsmanager:GetSecretValue',
            Resource: '*',
            Condition: {
              StringNotEquals: {
                'aws:PrincipalArn': {
                  'Fn::GetAtt': [
                    logicalId(synth.stack.receiver.handler.role ?? synth.stack),
                    'Arn',
                  ],
                },
              },
            },
          },
        ],
      },
    });
  });

  it('has its ARN in the outputs for put-secret-value', () => {
    synth.template.hasOutput('SigningSecretArn', {
      Value: { Ref: logicalId(synth.stack.receiver.signingSecret) },
    });
  });

  it('can be an existing secret, which the handler then reads and the receiver does not create', () => {
    const { stack, receiver, template } = synthReceiver((scope) => ({
      signingSecret: secretsmanager.Secret.fromSecretNameV2(scope, 'Existing', 'apideck/api-key'),
    }));
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('AWS::SecretsManager::ResourcePolicy', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENVIRONMENT.signingSecretId]: stack.resolve(receiver.signingSecret.secretArn),
        }),
      },
    });
  });
});
