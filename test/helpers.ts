// Shared test helpers: temporary directories and an in-memory CLI io.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run, type Io } from '../src/cli/main.js';

export function tempDir(files: Record<string, string | Buffer> = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sesguard-test-'));
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(dir, name);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return dir;
}

export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

export async function cli(argv: string[], cwd: string, now = new Date('2026-11-23T12:00:00Z')): Promise<CliOutcome> {
  let stdout = '';
  let stderr = '';
  const io: Io = { cwd, stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), color: false, now: () => now };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}
