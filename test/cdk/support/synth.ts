import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { ApideckWebhookReceiver } from '../../../lib/apideck-webhook-receiver.ts';
import { ApideckWebhooksStack } from '../../../lib/apideck-webhooks-stack.ts';
import type { ApideckWebhookReceiverProps } from '../../../lib/receiver-props.ts';

export const PROJECT_ROOT = path.join(import.meta.dirname, '..', '..', '..');

/** The feature flags of `cdk.json`, so that tests synthesize what `cdk synth` does. */
export function projectContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return cdkJson.context;
}

export interface SynthOptions {
  /**
   * Run esbuild on the handler. Off, the function gets a placeholder asset:
   * bundling costs most of a synthesis and only the bundling test needs it.
   *
   * @default false
   */
  readonly bundle?: boolean;
}

/** A fresh app with the project's feature flags. */
export function newApp(options: SynthOptions = {}): App {
  return new App({
    context: {
      ...projectContext(),
      'aws:cdk:bundling-stacks': options.bundle ? ['**'] : [],
    },
  });
}

export interface Synthesized {
  readonly app: App;
  readonly stack: ApideckWebhooksStack;
  readonly template: Template;
}

/** The stack of `bin/app.ts`, optionally with receiver props; `extend` may add to it before synthesis. */
export function synthStack(
  receiver: ApideckWebhookReceiverProps = {},
  extend?: (stack: ApideckWebhooksStack) => void,
  options: SynthOptions = {},
): Synthesized {
  const app = newApp(options);
  const stack = new ApideckWebhooksStack(app, 'ApideckWebhooks', receiver);
  extend?.(stack);
  return { app, stack, template: Template.fromStack(stack) };
}

/** The logical id CloudFormation gives a construct's default resource. */
export function logicalId(construct: IConstruct): string {
  const child = construct.node.defaultChild;
  if (!(child instanceof CfnElement)) throw new Error(`${construct.node.path} has no L1 resource`);
  return Stack.of(child).getLogicalId(child);
}

export interface PolicyStatementJson {
  readonly Effect: string;
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: unknown;
  readonly Principal?: unknown;
  readonly Sid?: string;
}

/** Every statement of the identity policies attached to a role. */
export function roleStatements(template: Template, roleLogicalId: string): PolicyStatementJson[] {
  const policies = template.findResources('AWS::IAM::Policy', {
    Properties: { Roles: [{ Ref: roleLogicalId }] },
  });
  return Object.values(policies).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: PolicyStatementJson[] } } })
        .Properties.PolicyDocument.Statement,
  );
}

/** A statement's actions as a sorted array. */
export function actionsOf(statement: PolicyStatementJson): string[] {
  return [statement.Action].flat().sort();
}

export interface SynthesizedReceiver {
  readonly app: App;
  readonly stack: Stack;
  readonly receiver: ApideckWebhookReceiver;
  readonly template: Template;
}

/**
 * A receiver alone in a stack, for props that need other constructs of the same
 * stack (a key, a secret, queues); `extend` runs after the receiver exists.
 */
export function synthReceiver(
  props: (stack: Stack) => ApideckWebhookReceiverProps,
  extend?: (receiver: ApideckWebhookReceiver, stack: Stack) => void,
): SynthesizedReceiver {
  const app = newApp();
  const stack = new Stack(app, 'ReceiverTest');
  const receiver = new ApideckWebhookReceiver(stack, 'Receiver', props(stack));
  extend?.(receiver, stack);
  return { app, stack, receiver, template: Template.fromStack(stack) };
}
