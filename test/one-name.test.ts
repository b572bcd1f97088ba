// One name per concept (STYLE.md): the severity ranking is defined once (src/engine/types.ts) and every sort,
// gate and report uses it; each error type has one name (the thrown SourceError, the recorded InputError).
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEVERITIES, SEVERITY_RANK } from '../src/engine/types.js';
import { PACKAGE_ROOT } from '../src/paths.js';

const SRC = path.join(PACKAGE_ROOT, 'src');
const sources = (readdirSync(SRC, { recursive: true }) as string[])
  .filter((f) => f.endsWith('.ts'))
  .map((f) => ({ file: f.split(path.sep).join('/'), text: readFileSync(path.join(SRC, f), 'utf8') }));

describe('one name per concept', () => {
  it('the severities and their ranking are spelled out in src/engine/types.ts only', () => {
    // A rank map ({ critical: 0, high: 1, … }) or the ordered list ('critical', 'high', 'medium', …).
    const spelled = /critical['"]?\s*:\s*\d+\s*,\s*high['"]?\s*:\s*\d+\s*,\s*medium['"]?\s*:\s*\d+\s*,\s*low|['"]critical['"]\s*,\s*['"]high['"]\s*,\s*['"]medium['"]/;
    expect(sources.filter((s) => spelled.test(s.text)).map((s) => s.file)).toEqual(['engine/types.ts']);
    expect(SEVERITIES.map((s) => SEVERITY_RANK[s])).toEqual([0, 1, 2, 3]);
  });
  it('SourceError is one class, never renamed on import; the results record is InputError', () => {
    const declarations = sources.filter((s) => /\b(class|interface|type)\s+SourceError\b/.test(s.text)).map((s) => s.file);
    expect(declarations).toEqual(['errors.ts']);
    expect(sources.filter((s) => /SourceError\s+as\s+\w+/.test(s.text)).map((s) => s.file)).toEqual([]);
    expect(sources.filter((s) => /\binterface\s+InputError\b/.test(s.text)).map((s) => s.file)).toEqual(['inventory/types.ts']);
  });
});
