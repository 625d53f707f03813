import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { optional } from './optional.ts';

/**
 * The secret holding the Apideck API key that signs the webhooks.
 *
 * A created secret starts with a random value, never a known placeholder: until
 * the operator stores the real key every signature fails closed (401) instead
 * of being forgeable with a value printed in a template or a README.
 */
export class SigningSecret extends Construct {
  public readonly secret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, encryptionKey: kms.IKey | undefined) {
    super(scope, id);
    this.secret = new secretsmanager.Secret(this, 'Resource', {
      description:
        'Apideck API key that signs webhooks (a string, or a JSON array of keys while rotating). Starts as a random placeholder: replace it with put-secret-value.',
      ...optional('encryptionKey', encryptionKey),
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'The value is the Apideck API key, issued and rotated in the Apideck dashboard; no rotation Lambda can create one. Rotation is operational: store ["new","old"] as a JSON array, switch Apideck, then store "new" (README, Deploy).',
    });
  }
}

/**
 * Denies reading the secret's value to every principal but the receiver's role,
 * so an administrator policy elsewhere in the account cannot read the API key.
 * Only for a secret this construct created: an imported secret's policy belongs
 * to its owner.
 */
export function restrictSecretToRole(secret: secretsmanager.Secret, role: iam.IRole): void {
  secret.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'OnlyTheWebhookReceiverReadsTheValue',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['secretsmanager:GetSecretValue'],
      resources: ['*'],
      conditions: { StringNotEquals: { 'aws:PrincipalArn': role.roleArn } },
    }),
  );
}
