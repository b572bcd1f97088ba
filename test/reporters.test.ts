// Text, JSON and Markdown reporters over the results fixtures (IaC and live scan), plus the
// reporters map the CLI uses: every format renders both fixtures.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Finding, NotAssessed, Severity } from '../src/engine/types.js';
import { chunkedReporters, reporters } from '../src/reporters/index.js';
import { escapeCell, MAX_FINDING_ROWS, MAX_GROUP_ROWS } from '../src/reporters/markdown.js';
import type { Results } from '../src/results.js';

const root = path.resolve(import.meta.dirname, '..');
const load = (name: string) => JSON.parse(readFileSync(path.join(root, 'fixtures/results', name), 'utf8')) as Results;
const iac = load('iac-results.json');
const scan = load('scan-results.json');
const empty: Results = {
  ...iac,
  findings: [],
  notAssessed: [],
  errors: [],
  notices: [],
  incomplete: false,
  score: { overall: 100, coverage: 1, worst: { group: 'a.yaml', score: 100 }, byAccount: {}, byFile: { 'a.yaml': 100 } },
  counts: { evaluated: 4, passed: 4, failed: 0, suppressed: 0, notAssessed: 0, notApplicable: 0 },
};

function finding(i: number, severity: Severity, message = `message ${i}`): Finding {
  return {
    checkId: 'SESG-NET-001',
    severity,
    title: 'Outbound SMTP',
    message,
    resource: { type: 'aws.ec2.security-group', id: `t.yaml#Sg${i}`, name: `Sg${i}`, file: 't.yaml', line: i + 1, logicalId: `Sg${i}` },
    evidence: {},
    suppressed: null,
    fingerprint: `fp${i}`,
  };
}

describe('every format renders both fixtures', () => {
  const formats = Object.keys(reporters) as (keyof typeof reporters)[];
  it('has exactly the five formats', () => {
    expect(formats.sort()).toEqual(['html', 'json', 'markdown', 'sarif', 'text']);
  });
  it.each(formats.flatMap((format) => [[format, 'iac', iac] as const, [format, 'scan', scan] as const]))(
    '%s of %s results names every open finding',
    (format, _name, results) => {
      const out = reporters[format](results);
      expect(out.endsWith('\n')).toBe(true);
      for (const f of results.findings.filter((x) => !x.suppressed)) expect(out).toContain(f.checkId);
    },
  );
});

describe('json', () => {
  it('round-trips the results', () => {
    expect(JSON.parse(reporters.json(iac))).toEqual(iac);
    expect(JSON.parse(reporters.json(scan))).toEqual(scan);
  });

  it('orders keys as the Results type does, whatever the input order', () => {
    const shuffled = Object.fromEntries(Object.entries(iac).reverse()) as unknown as Results;
    const text = reporters.json(shuffled);
    expect(Object.keys(JSON.parse(text))).toEqual([
      'schemaVersion',
      'tool',
      'kind',
      'startedAt',
      'finishedAt',
      'score',
      'findings',
      'notAssessed',
      'errors',
      'counts',
      'checks',
      'inputs',
      'notices',
      'incomplete',
    ]);
    expect(text).toBe(reporters.json(iac));
  });

  it('orders nested finding and resource keys too, and keeps unknown keys', () => {
    const f = finding(1, 'low');
    const reversed = Object.fromEntries(Object.entries({ ...f, extra: 1 }).reverse()) as unknown as Finding;
    reversed.resource = Object.fromEntries(Object.entries(f.resource).reverse()) as Finding['resource'];
    const doc = JSON.parse(reporters.json({ ...empty, findings: [reversed] })) as Results;
    expect(Object.keys(doc.findings[0])).toEqual(['checkId', 'severity', 'title', 'message', 'resource', 'evidence', 'suppressed', 'fingerprint', 'extra']);
    expect(Object.keys(doc.findings[0].resource)).toEqual(['type', 'id', 'name', 'file', 'line', 'logicalId']);
  });

  it('streams the same bytes as JSON.stringify(…, null, 2) of the document, one chunk per finding', () => {
    const trail = { ...scan, trail: { coverage: { notes: ['a\nb'] }, timeline: [] } } as unknown as Results;
    const odd = { ...empty, findings: [finding(1, 'low', 'line\nbreak "quoted" \u2028 ✓'), finding(2, 'high')], notices: [], errors: [], checks: [] };
    for (const results of [iac, scan, empty, trail, odd]) {
      const chunks = [...chunkedReporters.json(results)];
      const text = chunks.join('');
      expect(text).toBe(reporters.json(results));
      // The canonical pretty form of what it holds, byte for byte: nothing added, nothing laid out differently.
      expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
      expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(results)));
      expect(chunks.length).toBeGreaterThan(results.findings.length);
    }
  });

  it('leaves out undefined fields as JSON.stringify does', () => {
    const results = { ...empty, trail: undefined, findings: [{ ...finding(1, 'low'), baselineState: undefined }] } as Results;
    const text = reporters.json(results);
    expect(text).toBe(`${JSON.stringify(JSON.parse(text), null, 2)}\n`);
    expect(text).not.toContain('baselineState');
    expect(text).not.toContain('"trail"');
  });
});

describe('text', () => {
  const out = reporters.text(iac);

  it('renders an Organization of 200,000 findings, one chunk per account', () => {
    const findings = Array.from({ length: 200_000 }, (_, i) => ({
      ...finding(i, 'low'),
      resource: { type: 'aws.ec2.security-group' as const, id: `sg-${i}`, name: `sg-${i}`, account: String(100000000000 + (i % 1000)), region: 'us-east-1' },
    }));
    const results = { ...empty, findings };
    const chunks = [...chunkedReporters.text(results)];
    expect(chunks.length).toBe(1001);
    const text = chunks.join('');
    expect(text).toBe(reporters.text(results));
    expect(text.split('\n').filter((l) => l.startsWith('  LOW ')).length).toBe(200_000);
  });

  it('one line per finding: SEVERITY  CHECK-ID  file:line  message, grouped by file', () => {
    const lines = out.split('\n');
    expect(lines).toContain(
      '  HIGH      SESG-IAM-001  templates/mail.yaml:31:13  Role AppSenderRole may call ses:SendEmail on every identity (Resource "*"); restrict Resource to the identities it sends from.',
    );
    const mail = lines.indexOf('templates/mail.yaml');
    const main = lines.indexOf('infra/main.tf');
    expect(main).toBeGreaterThanOrEqual(0);
    expect(mail).toBeGreaterThan(main);
    expect(lines[main + 1]).toMatch(/^ {2}CRITICAL {2}SESG-SES-001 {2}infra\/main\.tf:14 {2}Sending authorization/);
  });

  it('marks suppressed findings with their reason', () => {
    expect(out).toContain('(suppressed: Single-region sandbox stack; the organization trail covers it (SEC-311))');
  });

  it.each([
    ['counts', '6 open findings (1 critical, 1 high, 4 medium), 1 suppressed.'],
    ['pairs', 'Evaluated 27 (check, resource) pairs: 20 passed, 6 failed, 1 suppressed; 3 not assessed, 41 not applicable.'],
    ['score', 'Score: 39.5 (worst: infra/main.tf 23.1), coverage 90.0 %.'],
    ['not assessed', 'Not assessed: 3 pairs across 2 checks'],
    ['errors', 'Errors: 1\n  templates/broken.yaml:3:7: YAML parse error: bad indentation of a mapping entry'],
    ['notices', 'Notice: suppression of SESG-NET-002'],
  ])('summarises %s', (_what, expected) => {
    expect(out).toContain(expected);
  });

  it('live findings are grouped by account and show account/region and ARN', () => {
    const live = reporters.text(scan);
    expect(live).toContain('444455556666\n  HIGH      SESG-ACC-003  444455556666/eu-west-1 arn:aws:ses:eu-west-1:444455556666:account  SES in eu-west-1');
    expect(live).toContain('Errors: 1\n  777788889999 sts:AssumeRole: could not assume role SesguardAudit: AccessDenied');
    expect(live).toContain('The run is incomplete');
  });

  it('no ANSI escapes unless color is asked for', () => {
    expect(out).not.toContain('\u001b[');
    const coloured = reporters.text(iac, { color: true });
    expect(coloured).toContain('\u001b[31mHIGH');
    // eslint-disable-next-line no-control-regex -- stripping ANSI sequences
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toBe(out);
  });

  it('control characters from scanned inputs never reach the terminal', () => {
    const evil = reporters.text({ ...empty, findings: [finding(1, 'low', 'bad\u001b[2Jname\u0007')] });
    // eslint-disable-next-line no-control-regex -- asserting their absence
    expect(evil).not.toMatch(/[\u0007\u001b]/);
    expect(evil).toContain('bad[2Jname');
  });

  it('says so when there is nothing to fix', () => {
    expect(reporters.text(empty)).toContain('No open findings.');
  });
});

describe('markdown', () => {
  const out = reporters.markdown(iac);

  it.each([
    ['title', '# sesguard — IaC scan'],
    ['score', '**Score 39.5** / 100 · worst: `infra/main.tf` 23.1 · coverage 90.0 %'],
    ['severity table', '| severity | open | suppressed |\n| --- | ---: | ---: |\n| critical | 1 | 0 |\n| high | 1 | 1 |\n| medium | 4 | 0 |\n| low | 0 | 0 |'],
    ['finding row', '| critical | SESG-SES-001 | aws\\_ses\\_domain\\_identity.example | infra/main.tf:14 | Sending authorization policy'],
    ['not-assessed row', '| SESG-SES-004 | 2 | OrdersIdentity, in templates/mail.yaml:61: configuration set "orders-prod" is referenced'],
    ['errors', '## Errors\n\n- templates/broken.yaml:3:7: YAML parse error: bad indentation of a mapping entry'],
    ['notices', '## Notices\n\n- suppression of SESG-NET-002'],
    ['incomplete', '⚠️ **Incomplete**'],
  ])('has the %s', (_what, expected) => {
    expect(out).toContain(expected);
  });

  it('lists open findings only, most severe first, and counts the suppressed ones', () => {
    const rows = out.split('\n').filter((l) => /^\| (critical|high|medium|low)( \(suppressed\))? \| SESG-/.test(l));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| critical', '| high', '| medium', '| medium', '| medium', '| medium']);
    expect(out).toContain('1 suppressed finding (listed in the JSON and SARIF outputs).');
  });

  it(`shows at most ${MAX_FINDING_ROWS} findings, then how many more`, () => {
    const many = Array.from({ length: 73 }, (_, i) => finding(i, 'medium'));
    const md = reporters.markdown({ ...empty, findings: many });
    expect(md.split('\n').filter((l) => l.startsWith('| medium | SESG-NET-001'))).toHaveLength(MAX_FINDING_ROWS);
    expect(md).toContain('…and 23 more open findings.');
  });

  it('groups not-assessed entries by check with counts and the first distinct reasons', () => {
    const entries: NotAssessed[] = Array.from({ length: 5 }, (_, i) => ({
      checkId: 'SESG-MON-001',
      account: '111122223333',
      region: `r-${i}`,
      reason: i < 4 ? 'AccessDenied' : 'Throttling',
    }));
    const md = reporters.markdown({ ...empty, notAssessed: entries });
    expect(md).toContain('| SESG-MON-001 | 5 | account 111122223333, region r-0: AccessDenied<br>account 111122223333, region r-4: Throttling |');
  });

  it.each([
    ['a|b', 'a\\|b'],
    ['`code`', '\\`code\\`'],
    ['line\nbreak', 'line break'],
    ['<script>', '\\<script\\>'],
    ['back\\slash', 'back\\\\slash'],
  ])('escapes the cell %j as %j', (input, expected) => {
    expect(escapeCell(input)).toBe(expected);
  });

  it('a message with | and backticks does not break the table', () => {
    const md = reporters.markdown({ ...empty, findings: [finding(1, 'high', 'allows `*` | everything')] });
    const row = md.split('\n').find((l) => l.startsWith('| high | SESG-')) as string;
    expect(row.split(/(?<!\\)\|/).length - 2).toBe(5);
  });

  it.each([1_000_000, 20_000, 3_000, 600])('never exceeds maxMarkdownBytes = %i and says when it cut', (max) => {
    const errors = Array.from({ length: 5_000 }, (_, i) => ({ file: `bad/${i}.yaml`, line: 1, message: 'x'.repeat(200) }));
    const notAssessed = Array.from({ length: 2_000 }, (_, i) => ({ checkId: `SESG-X-${String(i).padStart(3, '0')}`, reason: 'AccessDenied '.repeat(10) }));
    const md = reporters.markdown({ ...iac, errors, notAssessed }, { maxMarkdownBytes: max });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(max);
    expect(md).toContain('left out: the summary is limited to');
  });

  it('the default limit is 1,000,000 bytes', () => {
    const errors = Array.from({ length: 10_000 }, (_, i) => ({ file: `bad/${i}.yaml`, message: 'é'.repeat(100) }));
    const md = reporters.markdown({ ...iac, errors });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(1_000_000);
    expect(Buffer.byteLength(md)).toBeGreaterThan(900_000);
  });

  it(`lists the ${MAX_GROUP_ROWS} lowest-scoring accounts, lowest first, then how many more`, () => {
    const byAccount = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [String(100000000000 + i), 100 - i]));
    const md = reporters.markdown({ ...empty, score: { ...empty.score, byAccount, byFile: {} } });
    const rows = md.split('\n').filter((l) => /^\| 1000000000\d\d \|/.test(l));
    expect(rows).toHaveLength(MAX_GROUP_ROWS);
    expect(rows[0]).toBe('| 100000000059 | 41.0 |');
    expect(md).toContain('…and 10 more, all scoring at least 91.0.');
  });

  it('is not cut when it fits', () => {
    expect(out).not.toContain('left out');
  });

  it('a clean run says so', () => {
    const md = reporters.markdown(empty);
    expect(md).toContain('✅ **No open findings**');
    expect(md).toContain('## Top findings\n\nNone.');
  });
});

// ---- CloudTrail runs: the coverage statement comes first (docs/runbook.md §3) ---------------------

function trailRun(overrides: Partial<NonNullable<Results['trail']>['coverage']> = {}): Results {
  const ids = Array.from({ length: 10 }, (_, i) => `SESG-DET-${String(i + 1).padStart(3, '0')}`);
  const unsupported: Record<string, string> = {
    'SESG-DET-001': 'the logs cover 1 region(s); reconnaissance across 3 regions needs a multi-region trail or --regions all',
    'SESG-DET-010': 'no data events in these logs: enable SES data events on the trail to see send volume',
    'SESG-DET-006': 'disabled in the configuration',
  };
  return {
    ...empty,
    kind: 'trail',
    score: { overall: null, coverage: 0.8889, worst: null, byAccount: {}, byFile: {} },
    counts: { evaluated: 7, passed: 7, failed: 0, suppressed: 0, notAssessed: 2, notApplicable: 0 },
    notAssessed: ['SESG-DET-001', 'SESG-DET-010'].map((checkId) => ({ checkId, reason: unsupported[checkId] })),
    notices: ['SMTP sending (email-smtp.<region>.amazonaws.com) is never recorded by CloudTrail'],
    trail: {
      timeline: [],
      coverage: {
        timeSpan: { start: '2026-11-23T00:00:00.000Z', end: '2026-11-23T23:55:00.000Z' },
        regions: ['eu-west-1'],
        accounts: ['111122223333', '444455556666'],
        eventCount: 5120,
        analysedEventCount: 5120,
        relevantEventCount: 37,
        malformedRecords: 0,
        skipped: [],
        dataEventsPresent: false,
        sesSendEventsPresent: false,
        detectionsSupported: ids.map((id) => ({ id, supported: !(id in unsupported), why: unsupported[id] ?? `management events of ${id} are recorded` })),
        notes: [],
        ...overrides,
      },
    },
  };
}

describe('trail coverage statement', () => {
  it('text: starts with what the logs could show, one line per unsupported detection, supported ones counted', () => {
    const out = reporters.text(trailRun());
    const lines = out.split('\n');
    expect(lines[0]).toBe('What these logs could show');
    const block = lines.slice(0, lines.indexOf(''));
    expect(block).toEqual([
      'What these logs could show',
      '  Time span:        2026-11-23T00:00:00.000Z to 2026-11-23T23:55:00.000Z',
      '  Regions:          1: eu-west-1',
      '  Accounts:         2: 111122223333, 444455556666',
      '  Events:           5120 read, 5120 analysed, 37 relevant to the detections',
      '  Data events:      none in these logs',
      '  SES send events:  none (SES API send calls are data events; SMTP sending is never logged)',
      '  Detections:       7 of 9 enabled detections could work on these logs (1 disabled in the configuration)',
      '  Not supported:    SESG-DET-001: the logs cover 1 region(s); reconnaissance across 3 regions needs a multi-region trail or --regions all',
      '  Not supported:    SESG-DET-006: disabled in the configuration',
      '  Not supported:    SESG-DET-010: no data events in these logs: enable SES data events on the trail to see send volume',
    ]);
    // Supported detections are a count, not a list.
    expect(out).not.toContain('SESG-DET-002');
    expect(out.indexOf('What these logs could show')).toBeLessThan(out.indexOf('No open findings'));
  });

  it('text: says when data and send events are present and when nothing was read', () => {
    const present = reporters.text(trailRun({ dataEventsPresent: true, sesSendEventsPresent: true }));
    expect(present).toContain('  Data events:      present\n  SES send events:  present\n');
    const none = reporters.text(trailRun({ timeSpan: null, regions: [], accounts: [], eventCount: 0, analysedEventCount: 0, relevantEventCount: 0, malformedRecords: 0 }));
    expect(none).toContain('  Time span:        none (no events read)\n  Regions:          none\n  Accounts:         none\n  Events:           0 read, 0 analysed, 0 relevant to the detections\n');
    const skipped = reporters.text(
      trailRun({
        timeSpan: null, regions: [], accounts: [], eventCount: 105, analysedEventCount: 0, relevantEventCount: 0, malformedRecords: 103,
        skipped: [{ reason: 'no eventTime', count: 103, malformed: true, firstIn: 'logs/a.json' }, { reason: 'CloudTrail Insights records (unusual call rates, not API calls)', count: 2, malformed: false }],
      }),
    );
    expect(skipped).toContain(
      '  Time span:        none (no record could be analysed)\n  Regions:          none\n  Accounts:         none\n' +
        '  Events:           105 read, 0 analysed, 0 relevant to the detections; not analysed: 103 with no eventTime, 2 CloudTrail Insights records (unusual call rates, not API calls)\n',
    );
  });

  it('text: many accounts are counted past the first twenty; control characters from the logs are removed', () => {
    const accounts = Array.from({ length: 25 }, (_, i) => String(100000000000 + i));
    const out = reporters.text(trailRun({ accounts, regions: ['eu-west-1\u001b[2J'] }));
    expect(out).toContain(`  Accounts:         25: ${accounts.slice(0, 20).join(', ')} and 5 more\n`);
    expect(out).toContain('  Regions:          1: eu-west-1[2J\n');
    // eslint-disable-next-line no-control-regex -- asserting their absence
    expect(out).not.toMatch(/\u001b/);
  });

  it('text and markdown: no statement without trail data', () => {
    expect(reporters.text(empty)).not.toContain('What these logs could show');
    expect(reporters.text(iac)).not.toContain('What these logs could show');
    expect(reporters.markdown(empty)).not.toContain('What these logs could show');
    expect(reporters.markdown(scan)).not.toContain('What these logs could show');
  });

  it('markdown: a section before the findings and notices, with a row per unsupported detection', () => {
    const md = reporters.markdown(trailRun());
    const at = md.indexOf('## What these logs could show');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(md.indexOf('## Top findings'));
    expect(at).toBeLessThan(md.indexOf('## Notices'));
    const section = md.slice(at, md.indexOf('## Top findings'));
    for (const line of [
      '- **Time span:** 2026-11-23T00:00:00.000Z to 2026-11-23T23:55:00.000Z',
      '- **Regions:** 1: eu-west-1',
      '- **Accounts:** 2: 111122223333, 444455556666',
      '- **Events:** 5120 read, 5120 analysed, 37 relevant to the detections',
      '- **Data events:** none in these logs',
      '- **SES send events:** none (SES API send calls are data events; SMTP sending is never logged)',
      '- **Detections:** 7 of 9 enabled detections could work on these logs (1 disabled in the configuration)',
      '| SESG-DET-001 | the logs cover 1 region(s); reconnaissance across 3 regions needs a multi-region trail or --regions all |',
      '| SESG-DET-006 | disabled in the configuration |',
      '| SESG-DET-010 | no data events in these logs: enable SES data events on the trail to see send volume |',
    ]) {
      expect(section.split('\n')).toContain(line);
    }
    expect(section).not.toContain('SESG-DET-002');
  });

  it('markdown: all supported → no table; hostile region names cannot break out', () => {
    const all = trailRun({
      regions: ['eu-west-1 | <script>'],
      detectionsSupported: Array.from({ length: 10 }, (_, i) => ({ id: `SESG-DET-${String(i + 1).padStart(3, '0')}`, supported: true, why: 'ok' })),
    });
    const md = reporters.markdown(all);
    expect(md).toContain('- **Detections:** 10 of 10 enabled detections could work on these logs');
    expect(md).not.toContain('| not supported | why |');
    expect(md).toContain('- **Regions:** 1: eu-west-1 \\| \\<script\\>');
  });

  it.each([100_000, 2_000, 700])('markdown: the statement stays within maxMarkdownBytes = %i', (max) => {
    const accounts = Array.from({ length: 5_000 }, (_, i) => String(100000000000 + i));
    const errors = Array.from({ length: 2_000 }, (_, i) => ({ file: `logs/${i}.json.gz`, message: 'truncated gzip: unexpected end of file' }));
    const md = reporters.markdown({ ...trailRun({ accounts }), errors }, { maxMarkdownBytes: max });
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(max);
    if (max >= 2_000) expect(md).toContain('## What these logs could show');
  });
});

describe('text: a run with errors and no findings is not presented as clean', () => {
  it.each([
    [{ errors: [{ file: 'a.yaml', line: 2, message: 'not valid YAML' }], incomplete: false }, /^No open findings in what could be read: the run is incomplete/m],
    [{ errors: [], incomplete: true }, /^No open findings in what could be read/m],
    [{ errors: [], incomplete: false }, /^No open findings\.$/m],
  ])('%j', (patch, expected) => {
    const empty = { ...iac, findings: [], ...patch };
    expect(reporters.text(empty)).toMatch(expected);
  });
});
