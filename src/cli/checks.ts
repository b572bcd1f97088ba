// `sesguard checks`: the catalogue in effect (built-in and custom checks, detections, config overrides applied).
import { loadConfig } from '../config/load.js';
import { loadDetections } from '../detections/load.js';
import { checksFor } from '../checks.js';
import { command } from './command.js';
import { CONFIG } from './gate.js';
import { choice } from './options.js';

export default command({
  options: { ...CONFIG, format: choice(['text', 'json'] as const, 'text', 'a table, or JSON rows') },
  run(_args, values, io) {
    const config = loadConfig(values.config, io.cwd);
    const rows = [
      ...checksFor(config).map((c) => ({ id: c.id, severity: c.effectiveSeverity, sources: c.sources, title: c.title })),
      ...loadDetections()
        .filter((d) => config.checks[d.id]?.enabled !== false)
        .map((d) => ({ id: d.id, severity: config.checks[d.id]?.severity ?? d.severity, sources: d.sources as string[], title: d.title })),
    ].sort((a, b) => a.id.localeCompare(b.id));
    if (values.format === 'json') {
      io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    const lines = rows.map((c) => `${c.id.padEnd(14)} ${c.severity.padEnd(8)} ${c.sources.join('').padEnd(4)} ${c.title}`);
    io.stdout(`${'ID'.padEnd(14)} ${'SEVERITY'.padEnd(8)} SRC  TITLE\n${lines.join('\n')}\n${rows.length} checks (L live scan, C CloudFormation, T Terraform plan or source, D CloudTrail)\n`);
    return 0;
  },
});
