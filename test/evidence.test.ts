// Evidence bundle (src/evidence): write → verify round trip, each kind of tampering detected (changed,
// missing, added files, a rewritten manifest), atomic replacement, refused names, and redaction of secrets
// in the recorded command line.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../src/errors.js';
import { MANIFEST, redactCommand, REDACTED, verifyEvidenceBundle, writeEvidenceBundle, type BundleFile } from '../src/evidence/index.js';
import { tempDir } from './helpers.js';

const META = {
  version: '0.1.0',
  command: ['scan', '--org', '--external-id', 'Sup3r-Secret-Id', '--json', 'out.json'],
  startedAt: '2026-11-23T12:00:00.000Z',
  finishedAt: '2026-11-23T12:03:10.000Z',
};

const FILES: (BundleFile & { content: string | Buffer })[] = [
  { name: 'results.json', content: '{"schemaVersion":1}\n' },
  { name: 'results.sarif', content: '{"version":"2.1.0","runs":[]}\n' },
  { name: 'snapshot.json', content: Buffer.from([0x7b, 0x7d, 0x0a, 0xff, 0x00]) },
  { name: 'reports/summary.md', content: '# sesguard — AWS scan\n\nscore 73.5 ✓\n' },
];

function bundle(): string {
  const dir = path.join(tempDir(), 'evidence');
  writeEvidenceBundle(dir, FILES, META);
  return dir;
}

describe('writeEvidenceBundle', () => {
  it('writes the files and a manifest with version, redacted command, times, sizes and sha256', () => {
    const dir = bundle();
    for (const f of FILES) expect(readFileSync(path.join(dir, f.name))).toEqual(Buffer.from(f.content));
    const manifest = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8'));
    expect(manifest).toMatchObject({
      format: 'sesguard-evidence/1',
      tool: { name: 'sesguard', version: '0.1.0' },
      command: ['scan', '--org', '--external-id', REDACTED, '--json', 'out.json'],
      startedAt: META.startedAt,
      finishedAt: META.finishedAt,
    });
    expect(manifest.files.map((f: { name: string }) => f.name)).toEqual(['reports/summary.md', 'results.json', 'results.sarif', 'snapshot.json']);
    const md = manifest.files.find((f: { name: string }) => f.name === 'reports/summary.md');
    const content = FILES[3].content as string;
    expect(md).toEqual({ name: 'reports/summary.md', size: Buffer.byteLength(content), sha256: createHash('sha256').update(content).digest('hex') });
    expect(readFileSync(path.join(dir, MANIFEST), 'utf8')).not.toContain('Sup3r-Secret-Id');
  });

  it('writes streamed chunks and copies of files with the sha256 and size of the bytes written', () => {
    const source = path.join(tempDir(), 'snapshot.json');
    const big = `{"resources":[${Array.from({ length: 40_000 }, (_, i) => `{"id":"r${i}","name":"é ✓ ${i}"}`).join(',')}]}\n`;
    writeFileSync(source, big);
    const chunks = ['{"findings":[', ...Array.from({ length: 30_000 }, (_, i) => `${i ? ',' : ''}{"i":${i},"s":"ü"}`), ']}\n'];
    const dir = path.join(tempDir(), 'evidence');
    const written = writeEvidenceBundle(dir, [{ name: 'results.json', chunks: chunks.values() }, { name: 'snapshot.json', copyOf: source }], META);
    const expected = [
      { name: 'results.json', bytes: Buffer.from(chunks.join('')) },
      { name: 'snapshot.json', bytes: Buffer.from(big) },
    ];
    for (const { name, bytes } of expected) {
      expect(readFileSync(path.join(dir, name)).equals(bytes)).toBe(true);
      expect(written.manifest.files.find((f) => f.name === name)).toEqual({ name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    }
    expect(verifyEvidenceBundle(dir, { manifestSha256: written.manifestSha256 }).ok).toBe(true);
  });

  it('returns the sha256 of the manifest as written', () => {
    const dir = path.join(tempDir(), 'evidence');
    const written = writeEvidenceBundle(dir, FILES, META);
    expect(written.manifestSha256).toBe(createHash('sha256').update(readFileSync(path.join(dir, MANIFEST))).digest('hex'));
  });

  it('replaces a previous bundle whole, leaving no temporary folders behind', () => {
    const parent = tempDir();
    const dir = path.join(parent, 'evidence');
    writeEvidenceBundle(dir, FILES, META);
    writeEvidenceBundle(dir, [{ name: 'results.json', content: '{}' }], META);
    expect(readdirSync(dir).sort()).toEqual([MANIFEST, 'results.json']);
    expect(readdirSync(parent)).toEqual(['evidence']);
    expect(verifyEvidenceBundle(dir)).toEqual({ ok: true, problems: [] });
  });

  it('refuses to replace a non-empty directory that is not a bundle, and leaves it as it was', () => {
    const dir = tempDir({ 'thesis.docx': 'precious' });
    expect(() => writeEvidenceBundle(dir, FILES, META)).toThrow(/not empty/);
    expect(readdirSync(dir)).toEqual(['thesis.docx']);
  });

  it('writes into an existing empty directory', () => {
    const dir = tempDir();
    writeEvidenceBundle(dir, FILES, META);
    expect(verifyEvidenceBundle(dir).ok).toBe(true);
  });

  const badNames = ['../escape.json', '/etc/passwd', 'a/../../b', '.hidden', 'dir\\file', '', MANIFEST, 'a//b'];
  for (const name of badNames) {
    it(`refuses the file name ${JSON.stringify(name)} and writes nothing`, () => {
      const parent = tempDir();
      const dir = path.join(parent, 'evidence');
      expect(() => writeEvidenceBundle(dir, [{ name, content: 'x' }], META)).toThrow(ConfigError);
      expect(readdirSync(parent)).toEqual([]);
    });
  }

  it('refuses the same name twice', () => {
    expect(() => writeEvidenceBundle(path.join(tempDir(), 'e'), [FILES[0], FILES[0]], META)).toThrow(/twice/);
  });
});

describe('verifyEvidenceBundle', () => {
  it('a bundle as written verifies', () => {
    expect(verifyEvidenceBundle(bundle())).toEqual({ ok: true, problems: [] });
  });

  const tampering: { name: string; change: (dir: string) => void; problems: RegExp[] }[] = [
    { name: 'a changed byte', change: (d) => writeFileSync(path.join(d, 'results.json'), '{"schemaVersion":2}\n'), problems: [/^changed: results\.json \(sha256 [0-9a-f]{64}/] },
    { name: 'an appended line', change: (d) => appendFileSync(path.join(d, 'reports/summary.md'), 'all good\n'), problems: [/^changed: reports\/summary\.md/] },
    { name: 'a removed file', change: (d) => rmSync(path.join(d, 'results.sarif')), problems: [/^missing: results\.sarif$/] },
    { name: 'an added file', change: (d) => writeFileSync(path.join(d, 'notes.txt'), 'x'), problems: [/^extra: notes\.txt$/] },
    {
      name: 'an added file in a new folder',
      change: (d) => {
        mkdirSync(path.join(d, 'more'));
        writeFileSync(path.join(d, 'more', 'a.json'), '{}');
      },
      problems: [/^extra: more\/a\.json$/],
    },
    {
      name: 'a file replaced by a symlink to the same content elsewhere',
      change: (d) => {
        const elsewhere = path.join(tempDir(), 'results.json');
        writeFileSync(elsewhere, readFileSync(path.join(d, 'results.json')));
        rmSync(path.join(d, 'results.json'));
        symlinkSync(elsewhere, path.join(d, 'results.json'));
      },
      problems: [/^not a regular file: results\.json$/],
    },
    { name: 'a removed manifest', change: (d) => rmSync(path.join(d, MANIFEST)), problems: [/^missing: manifest\.json$/] },
    { name: 'a manifest that is not JSON', change: (d) => writeFileSync(path.join(d, MANIFEST), '{'), problems: [/not valid JSON/] },
    {
      name: 'a manifest entry pointing outside the bundle',
      change: (d) => {
        const m = JSON.parse(readFileSync(path.join(d, MANIFEST), 'utf8'));
        m.files.push({ name: '../../etc/passwd', size: 1, sha256: 'x' });
        writeFileSync(path.join(d, MANIFEST), JSON.stringify(m));
      },
      problems: [/^manifest\.json: bad entry "\.\.\/\.\.\/etc\/passwd"/],
    },
    {
      name: 'a changed file and a removed one',
      change: (d) => {
        writeFileSync(path.join(d, 'snapshot.json'), '{}\n');
        rmSync(path.join(d, 'results.json'));
      },
      problems: [/^changed: snapshot\.json/, /^missing: results\.json$/],
    },
  ];
  for (const t of tampering) {
    it(`detects ${t.name}`, () => {
      const dir = bundle();
      t.change(dir);
      const result = verifyEvidenceBundle(dir);
      expect(result.ok).toBe(false);
      expect(result.problems).toHaveLength(t.problems.length);
      for (const p of t.problems) expect(result.problems.some((line) => p.test(line))).toBe(true);
    });
  }

  it('a rewritten manifest passes on its own but not against the recorded manifest hash', () => {
    const dir = path.join(tempDir(), 'evidence');
    const { manifestSha256 } = writeEvidenceBundle(dir, FILES, META);
    expect(verifyEvidenceBundle(dir, { manifestSha256 }).ok).toBe(true);
    // The forger rewrites a file and the manifest to match.
    writeFileSync(path.join(dir, 'results.json'), '{"forged":true}\n');
    const m = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8'));
    m.files = m.files.map((f: { name: string }) =>
      f.name === 'results.json' ? { ...f, size: 16, sha256: createHash('sha256').update('{"forged":true}\n').digest('hex') } : f,
    );
    writeFileSync(path.join(dir, MANIFEST), JSON.stringify(m));
    expect(verifyEvidenceBundle(dir).ok).toBe(true);
    const against = verifyEvidenceBundle(dir, { manifestSha256 });
    expect(against.ok).toBe(false);
    expect(against.problems[0]).toMatch(/^changed: manifest\.json/);
  });

  it('a directory that does not exist is a problem, not a crash', () => {
    const missing = path.join(tempDir(), 'nope');
    expect(existsSync(missing)).toBe(false);
    expect(verifyEvidenceBundle(missing)).toEqual({ ok: false, problems: [`not a directory: ${missing}`] });
  });
});

describe('redactCommand', () => {
  const cases: { name: string; argv: string[]; expected: string[] }[] = [
    { name: '--external-id value', argv: ['scan', '--external-id', 'abc123', '--org'], expected: ['scan', '--external-id', REDACTED, '--org'] },
    { name: '--external-id=value', argv: ['scan', '--external-id=abc123'], expected: ['scan', `--external-id=${REDACTED}`] },
    { name: 'other secret-named flags', argv: ['--aws-secret', 's', '--session-token', 't', '--db-password=p'], expected: ['--aws-secret', REDACTED, '--session-token', REDACTED, `--db-password=${REDACTED}`] },
    { name: 'a secret flag without a value', argv: ['scan', '--external-id', '--org'], expected: ['scan', '--external-id', '--org'] },
    { name: 'a long-term access key id anywhere', argv: ['trail', 's3://logs/AKIAIOSFODNN7EXAMPLE/x'], expected: ['trail', `s3://logs/${REDACTED}/x`] },
    { name: 'a temporary access key id', argv: ['--profile', 'ASIAY34FZKBOKMUTVV7A'], expected: ['--profile', REDACTED] },
    { name: 'aws_secret_access_key=…', argv: ['aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'], expected: [`aws_secret_access_key=${REDACTED}`] },
    { name: 'AWS_SESSION_TOKEN: …', argv: ['AWS_SESSION_TOKEN: FwoGZXIvYXdzEJr//////////wEaDO'], expected: [`AWS_SESSION_TOKEN: ${REDACTED}`] },
    { name: 'a bare secret access key', argv: ['wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'], expected: [REDACTED] },
    { name: 'a password in a URL', argv: ['--endpoint-url', 'https://admin:hunter2@localhost:4566'], expected: ['--endpoint-url', `https://admin:${REDACTED}@localhost:4566`] },
    {
      name: 'ordinary arguments untouched',
      argv: ['scan', '--org', '--role-name', 'SesguardAudit', '--regions', 'eu-west-1', '--accounts', '111122223333', '--json', 'fixtures/iac/cloudformation/bad-mail-stack.json'],
      expected: ['scan', '--org', '--role-name', 'SesguardAudit', '--regions', 'eu-west-1', '--accounts', '111122223333', '--json', 'fixtures/iac/cloudformation/bad-mail-stack.json'],
    },
    { name: 'a 40-digit hex hash is not a key', argv: ['da39a3ee5e6b4b0d3255bfef95601890afd80709'], expected: ['da39a3ee5e6b4b0d3255bfef95601890afd80709'] },
  ];
  for (const c of cases) {
    it(c.name, () => expect(redactCommand(c.argv)).toEqual(c.expected));
  }
});
