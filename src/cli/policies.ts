// `sesguard policies test [dir]`: runs the fixtures of the built-in checks and detections, or of the checks in dir.
import path from 'node:path';
import { DETECTION_DIR, describeFixtureResult, loadDetections, runDetectionFixtures } from '../detections/index.js';
import { runFixtures } from '../engine/fixtures.js';
import { loadChecks } from '../engine/load.js';
import { ConfigError, PolicyError } from '../errors.js';
import { command } from './command.js';

export default command({
  options: {},
  run(args, _values, io) {
    if (args[0] !== 'test' || args.length > 2) throw new ConfigError('usage: sesguard policies test [dir]');
    const dir = args[1] ? path.resolve(io.cwd, args[1]) : undefined;
    const detectionsOnly = dir !== undefined && dir === DETECTION_DIR;
    const checks = detectionsOnly ? [] : dir ? loadChecks({ policyDirs: [dir], onlyDirs: true }) : loadChecks();
    // A folder with no check in it tests nothing: a wrong path must not pass as "0 failed".
    if (dir && !detectionsOnly && checks.length === 0) throw new PolicyError('no check file (*.yaml, *.yml) in this directory', args[1]);
    const detections = detectionsOnly || !dir ? loadDetections() : [];
    const rows = [
      ...runFixtures(checks).map((r) => ({
        ok: r.ok,
        text: `${r.checkId} "${r.caseName}": expected ${r.expected}, got ${r.actual.kind}${'reason' in r.actual && r.actual.reason ? ` (${r.actual.reason})` : ''}`,
      })),
      ...runDetectionFixtures(detections).map((r) => ({ ok: r.ok, text: describeFixtureResult(r) })),
    ];
    const failed = rows.filter((r) => !r.ok);
    for (const r of failed) io.stdout(`FAIL ${r.text}\n`);
    io.stdout(`${checks.length + detections.length} checks, ${rows.length} fixtures: ${rows.length - failed.length} passed, ${failed.length} failed\n`);
    return failed.length > 0 ? 1 : 0;
  },
});
