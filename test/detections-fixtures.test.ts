// The fixtures every CloudTrail detection carries (policies/det/<id>.yaml `fixtures:`): each `fires`
// case must produce a finding of its detection, each `quiet` case (a benign look-alike) none.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PolicyError } from '../src/errors.js';
import { DETECTION_DIR, describeFixtureResult, loadDetections, runDetectionFixtures } from '../src/detections/index.js';
import { DETECTORS } from '../src/detections/rules/index.js';
import { FLOW_DETECTORS } from '../src/detections/rules/flow-index.js';
import type { DetectionDefinition } from '../src/detections/types.js';

const definitions = loadDetections(DETECTION_DIR);
const results = runDetectionFixtures(definitions);

describe('detection fixtures', () => {
  it.each(results.map((r) => [`${r.checkId} ${r.expected}: ${r.caseName}`, r] as const))('%s', (_name, result) => {
    expect(result.fired).toBe(result.expected === 'fires');
    expect(result.ok).toBe(true);
  });

  it('every detection has fires and quiet cases, and every detector a definition', () => {
    expect(definitions.map((d) => d.id).sort()).toEqual([...DETECTORS, ...FLOW_DETECTORS].map((d) => d.id).sort());
    for (const d of definitions) {
      const kinds = new Set(results.filter((r) => r.checkId === d.id).map((r) => r.expected));
      expect([d.id, [...kinds].sort()]).toEqual([d.id, ['fires', 'quiet']]);
    }
  });
});

describe('runDetectionFixtures', () => {
  const base = definitions.find((d) => d.id === 'SESG-DET-001') as DetectionDefinition;

  it('a fires case that does not fire and a quiet case that fires are both not ok', () => {
    // Swap the cases: the quiet look-alikes now claim to fire, the attack claims to be quiet.
    const swapped: DetectionDefinition = { ...base, fixtures: { fires: base.fixtures.quiet, quiet: base.fixtures.fires } };
    const got = runDetectionFixtures([swapped]);
    expect(got.length).toBe(base.fixtures.fires.length + base.fixtures.quiet.length);
    expect(got.every((r) => !r.ok)).toBe(true);
    expect(got.filter((r) => r.expected === 'quiet').every((r) => r.fired)).toBe(true);
    expect(got.filter((r) => r.expected === 'fires').every((r) => !r.fired)).toBe(true);
  });

  it("a case's thresholds apply: the two-region case is quiet at the default of three regions", () => {
    const twoRegions = base.fixtures.fires.find((c) => c.thresholds?.reconRegions === 2);
    expect(twoRegions).toBeDefined();
    const withoutThresholds = { ...twoRegions!, thresholds: undefined };
    const got = runDetectionFixtures([{ ...base, fixtures: { fires: [withoutThresholds], quiet: [] } }]);
    expect(got).toEqual([{ checkId: 'SESG-DET-001', file: base.file, caseName: twoRegions!.name, expected: 'fires', fired: false, reported: [], ok: false }]);
  });

  it('only findings of the case own detection count: a DET-002 run does not satisfy a DET-001 fires case', () => {
    const det002 = definitions.find((d) => d.id === 'SESG-DET-002') as DetectionDefinition;
    const got = runDetectionFixtures([{ ...base, fixtures: { fires: det002.fixtures.fires, quiet: [] } }, det002]);
    const asDet001 = got.find((r) => r.checkId === 'SESG-DET-001');
    expect(asDet001).toMatchObject({ expected: 'fires', fired: false, ok: false });
  });
});

describe('attempt cases', () => {
  const det008 = definitions.find((d) => d.id === 'SESG-DET-008') as DetectionDefinition;
  const attemptCase = det008.fixtures.fires.find((c) => c.attempt)!;

  it('a case marked attempt is satisfied only by an attempt; unmarked, the same records do not count as a change', () => {
    expect(attemptCase).toBeDefined();
    const asChange = runDetectionFixtures([{ ...det008, fixtures: { fires: [{ ...attemptCase, attempt: undefined }], quiet: [] } }]);
    expect(asChange[0]).toMatchObject({ ok: false, fired: false, reported: ['attempt'] });
    expect(describeFixtureResult(asChange[0])).toBe(`SESG-DET-008 "${attemptCase.name}": expected it to fire, it reported an attempt`);
    const asAttempt = runDetectionFixtures([{ ...det008, fixtures: { fires: [attemptCase], quiet: [] } }]);
    expect(asAttempt[0]).toMatchObject({ ok: true, fired: true, reported: ['attempt'] });
  });

  it('an attempt is not quiet', () => {
    const got = runDetectionFixtures([{ ...det008, fixtures: { fires: [], quiet: [attemptCase] } }]);
    expect(got[0]).toMatchObject({ ok: false, expected: 'quiet', reported: ['attempt'] });
  });
});

describe('the detection schema requires fixtures', () => {
  const original = readFileSync(path.join(DETECTION_DIR, 'SESG-DET-001.yaml'), 'utf8');
  const withoutFixtures = original.slice(0, original.indexOf('\nfixtures:') + 1);
  const fires = original.slice(original.indexOf('\n  fires:') + 1, original.indexOf('\n  quiet:') + 1);

  it.each([
    ['no fixtures block', withoutFixtures, /fixtures/],
    ['an empty quiet list', `${withoutFixtures}fixtures:\n${fires}  quiet: []\n`, /quiet/],
    ['no fires list', `${withoutFixtures}fixtures:\n  quiet: []\n`, /fires/],
    ['a case with an unknown key', original.replace('  fires:\n    - name:', '  fires:\n    - expect: 1\n      name:'), /unknown key "expect"/],
  ])('a detection with %s is a PolicyError', (_name, text, message) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sesguard-detfix-'));
    writeFileSync(path.join(dir, 'SESG-DET-001.yaml'), text);
    expect(text).not.toBe(original);
    expect(() => loadDetections(dir)).toThrow(PolicyError);
    expect(() => loadDetections(dir)).toThrow(message);
  });

  it('the unmodified file loads', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sesguard-detfix-'));
    writeFileSync(path.join(dir, 'SESG-DET-001.yaml'), original);
    expect(loadDetections(dir)[0].fixtures.quiet.length).toBeGreaterThan(0);
  });
});
