// .tf files parsed on worker threads (src/sources/terraform/hcl/parse-pool.ts) give exactly what parsing them on
// the main thread gives: the same resources, errors (a file that does not parse, one that cannot be read, in the
// same order), notices and files, on a generated repository (B5's shape) and on every Terraform fixture
// directory. The pool really hands files to workers, and degrades to the main thread. Runs against the built
// worker (npm test builds first).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateTerraform } from '../src/bench/generate-terraform.js';
import { CHARS_PER_WORKER, parseAll, parseWorkers } from '../src/sources/terraform/hcl/parse-pool.js';
import { readTerraformSources, type TerraformSourceResult } from '../src/sources/terraform/source.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const BUILT = existsSync(path.join(ROOT, 'dist', 'sources', 'terraform', 'hcl', 'parse-worker.js'));
const scratch = mkdtempSync(path.join(tmpdir(), 'sesguard-parse-workers-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Directories holding .tf files below `dir`, `/`-separated and relative to `base`. */
function tfDirs(dir: string, base: string): string[] {
  const here = readdirSync(dir).some((n) => n.endsWith('.tf')) ? [path.relative(base, dir).split(path.sep).join('/') || '.'] : [];
  return [...here, ...readdirSync(dir).flatMap((n) => (statSync(path.join(dir, n)).isDirectory() ? tfDirs(path.join(dir, n), base) : []))];
}

function readDir(base: string, parseWorkersCount: number, unreadable?: string): Promise<TerraformSourceResult> {
  const full = (p: string) => path.join(base, p);
  return readTerraformSources({
    dirs: tfDirs(base, base),
    judgedByPlan: new Set(),
    readText: (p) => {
      if (p === unreadable) return undefined;
      try {
        return readFileSync(full(p), 'utf8');
      } catch {
        return undefined;
      }
    },
    listDir: (d) => readdirSync(full(d)),
    parseWorkers: parseWorkersCount,
  });
}

describe.skipIf(!BUILT)('.tf files parsed on worker threads', () => {
  it('a generated repository (with a file that does not parse and one that cannot be read): the same result', async () => {
    const dir = path.join(scratch, 'generated');
    generateTerraform(dir, 12, 25);
    writeFileSync(path.join(dir, 'modules', 'm3', 'broken.tf'), 'resource "aws_iam_role" "x" {\n  name = = "x"\n}\n');
    const unreadable = 'modules/m7/main.tf';
    const here = await readDir(dir, 0, unreadable);
    const there = await readDir(dir, 2, unreadable);
    expect(here.resources.length).toBeGreaterThan(100);
    expect(here.errors.map((e) => e.file)).toEqual(['modules/m3/broken.tf', unreadable]);
    expect(there).toEqual(here);
  });

  it.each(tfDirs(path.join(ROOT, 'fixtures'), path.join(ROOT, 'fixtures')).filter((d) => !d.includes('/modules')))('fixtures/%s: the same result', async (dir) => {
    const base = path.join(ROOT, 'fixtures', dir);
    expect(await readDir(base, 2)).toEqual(await readDir(base, 0));
  });

  it('hands files to the workers and builds their results from tables; the main thread parses the rest', async () => {
    const texts = Array.from({ length: 40 }, (_, i) => `a${i} = "${'x'.repeat(2000)}"\n`);
    const where: string[] = [];
    const results = await parseAll(
      texts,
      2,
      (i) => {
        where[i] = 'main';
        return i;
      },
      (i, table) => {
        where[i] = 'worker';
        expect(table.count).toBeGreaterThan(3);
        return i;
      },
    );
    expect(results).toEqual(texts.map((_, i) => i));
    expect(where.filter((w) => w === 'worker').length).toBeGreaterThan(0);
    expect(where.filter(Boolean)).toHaveLength(texts.length);
  });
});

describe('how many workers', () => {
  it('none for a small repository, none when told so, never more than the cores leave', () => {
    expect(parseWorkers(CHARS_PER_WORKER - 1, {})).toBe(0);
    expect(parseWorkers(100 * CHARS_PER_WORKER, { SESGUARD_PARSE_WORKERS: '0' })).toBe(0);
    expect(parseWorkers(100 * CHARS_PER_WORKER, {})).toBeLessThanOrEqual(3);
  });

  it('workers that fail (one throws on its first file, one exits): their files are parsed on the main thread', async () => {
    const throwing = path.join(scratch, 'throwing-worker.mjs');
    writeFileSync(throwing, "import { parentPort } from 'node:worker_threads';\nparentPort.on('message', () => { throw new Error('boom'); });\n");
    const exiting = path.join(scratch, 'exiting-worker.mjs');
    writeFileSync(exiting, 'process.exit(3);\n');
    const texts = Array.from({ length: 12 }, (_, i) => `a${i} = ${i}\n`);
    for (const file of [throwing, exiting]) {
      expect(await parseAll(texts, 2, (i) => `main ${i}`, (i) => `worker ${i}`, file)).toEqual(texts.map((_, i) => `main ${i}`));
    }
  });

  it('one text, or no workers: everything on the main thread', async () => {
    expect(await parseAll(['a = 1\n'], 2, () => 'main', () => 'worker')).toEqual(['main']);
    expect(await parseAll(['a = 1\n', 'b = 2\n'], 0, () => 'main', () => 'worker')).toEqual(['main', 'main']);
  });
});
