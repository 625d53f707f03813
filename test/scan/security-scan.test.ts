/**
 * The security scan of the synthesized template (./security-scan.ts):
 * checkov passes but for the checks skipped in ./checkov.yaml, each with
 * its written reason; cfn-lint finds no error; and no API key is in the
 * template. checkov and cfn-lint are installed on first use into .venv/scan
 * (about a minute, once).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePythonTools } from '../../tools/emulator/python-tools.ts';
import { recordFigures } from '../support/figures.ts';
import {
  keyMaterialIn,
  readCheckovSkips,
  runCheckov,
  type SecurityScan,
  scanTemplate,
  synthesizeTemplate,
} from './security-scan.ts';

/** Checks skipped because the default stack uses AWS managed keys: their reasons name `encryptionKey`. */
const CUSTOMER_KEY_CHECKS = readCheckovSkips()
  .filter((skip) => skip.reason.includes('`encryptionKey`'))
  .map((skip) => skip.id);
/** A key as an operator would export it while synthesizing; the app has no prop for one. */
const KNOWN_KEY = 'sk_live_5f3c9e1d7a2b4c6e8f0a1b2c3d4e5f60';

describe('the security scan of the synthesized template', () => {
  const directory = mkdtempSync(join(tmpdir(), 'security-scan-'));
  let templateFile: string;
  let scan: SecurityScan;

  beforeAll(async () => {
    await ensurePythonTools();
    const previous = process.env.APIDECK_API_KEY;
    process.env.APIDECK_API_KEY = KNOWN_KEY;
    try {
      templateFile = synthesizeTemplate(directory);
    } finally {
      if (previous === undefined) delete process.env.APIDECK_API_KEY;
      else process.env.APIDECK_API_KEY = previous;
    }
    scan = await scanTemplate(templateFile);
  }, 600_000);

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('checkov parses every resource and fails no check that is not skipped with a reason', ({
    task,
  }) => {
    recordFigures(task, { kind: 'scan', scan });
    expect(scan.checkov.parsingErrors).toBe(0);
    expect(scan.checkov.resourceCount).toBeGreaterThan(50);
    expect(scan.checkov.passed.length).toBeGreaterThan(0);
    expect(
      scan.checkov.failed.map((check) => `${check.id} on ${check.resource}: ${check.name}`),
    ).toEqual([]);
  });

  it('gives every skipped check a written reason', () => {
    expect(scan.skips.length).toBeGreaterThan(0);
    for (const skip of scan.skips) {
      expect(skip.reason.length, `the reason of ${skip.id}`).toBeGreaterThanOrEqual(60);
    }
    expect(new Set(scan.skips.map((skip) => skip.id)).size).toBe(scan.skips.length);
  });

  it('skips only checks that fail on this template', () => {
    expect(scan.staleSkips).toEqual([]);
  });

  it('passes the checks skipped for want of a customer managed key when the receiver is given one', async () => {
    expect(CUSTOMER_KEY_CHECKS.length).toBeGreaterThan(0);
    const variant = await runCheckov(synthesizeTemplate(directory, 'customer-key'));
    const failed = variant.failed.filter((check) => CUSTOMER_KEY_CHECKS.includes(check.id));
    expect(failed.map((check) => `${check.id} on ${check.resource}`)).toEqual([]);
    const passed = new Set(variant.passed.map((check) => check.id));
    for (const id of CUSTOMER_KEY_CHECKS) expect(passed, id).toContain(id);
  });

  it('cfn-lint finds no error', () => {
    const errors = scan.cfnLint.filter((match) => match.level === 'Error');
    expect(errors.map((match) => `${match.rule} at ${match.path}: ${match.message}`)).toEqual([]);
  });

  it('holds no API key: no literal SecretString, nothing key-looking, not the key in the environment', () => {
    const template: unknown = JSON.parse(readFileSync(templateFile, 'utf8'));
    expect(keyMaterialIn(template, [KNOWN_KEY])).toEqual([]);
    const secrets = Object.values(
      (
        template as {
          Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
        }
      ).Resources,
    ).filter((resource) => resource.Type === 'AWS::SecretsManager::Secret');
    expect(secrets.length).toBeGreaterThan(0);
    for (const secret of secrets) expect(secret.Properties).toHaveProperty('GenerateSecretString');
  });

  it('the key check finds a key when there is one', () => {
    const leaky = {
      Resources: {
        Secret: { Type: 'AWS::SecretsManager::Secret', Properties: { SecretString: 'x' } },
        Fn: {
          Type: 'AWS::Lambda::Function',
          Properties: { Environment: { Variables: { K: KNOWN_KEY } } },
        },
      },
    };
    expect(keyMaterialIn(leaky, [KNOWN_KEY])).toHaveLength(3);
  });
});
