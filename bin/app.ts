#!/usr/bin/env -S npx tsx
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { composeReadyApp } from '../lib/context/ready-app.ts';

const app = new App();
composeReadyApp(app);

// Synthesis fails on any unacknowledged finding: a change that a security review
// would flag cannot be deployed silently.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
