// A `checks:` entry in sesguard.yaml that names no check or detection is a notice (a misspelt id would otherwise
// change nothing without a word); known ids, detections and policyDirs checks are not.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig, runIac } from '../src/index.js';
import { BUILTIN_POLICY_DIR } from '../src/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'sesguard-config-checks-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TEMPLATE = ['AWSTemplateFormatVersion: "2010-09-09"', 'Resources:', '  Topic:', '    Type: AWS::SNS::Topic'].join('\n');

describe('checks: entries in the config', () => {
  it('a misspelt id is one notice naming it; a check, a detection and a policyDirs check are not', async () => {
    mkdirSync(join(dir, 'own'));
    // A custom check: a copy of a built-in one under a new id.
    const builtin = readFileSync(join(BUILTIN_POLICY_DIR, 'iam', 'SESG-IAM-001.yaml'), 'utf8');
    writeFileSync(join(dir, 'own', 'ACME-001.yaml'), builtin.replace(/SESG-IAM-001/g, 'ACME-001'));
    const text = [
      'policyDirs: [own]',
      'checks:',
      '  SESG-IAM-01: { enabled: false }',
      '  SESG-IAM-001: { severity: low }',
      '  SESG-DET-001: { enabled: false }',
      '  ACME-001: { severity: low }',
    ].join('\n');
    const config = parseConfig(text, join(dir, 'sesguard.yaml'), 'sesguard.yaml');
    writeFileSync(join(dir, 'stack.yaml'), TEMPLATE);
    const results = await runIac([join(dir, 'stack.yaml')], { config, cwd: dir });
    const about = results.notices.filter((n) => n.includes('checks.'));
    expect(about).toEqual(['sesguard.yaml: checks.SESG-IAM-01 names no check or detection (built-in or in policyDirs): it changes nothing']);
  });
});
