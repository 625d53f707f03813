import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * `<stack name>-<ids below the stack>` of the construct's parent, e.g.
 * `ApideckWebhooks-Receiver`: tells receivers apart where CloudWatch lists
 * things by name (dashboards, saved queries).
 */
export function receiverDisplayName(construct: IConstruct): string {
  const stack = Stack.of(construct);
  const below = construct.node.scopes
    .slice(stack.node.scopes.length, -1)
    .map((scope) => scope.node.id);
  return [stack.stackName, ...below].join('-');
}
