// The snapshot written as chunks (src/inventory/snapshot.ts, snapshotChunks): byte for byte JSON.stringify, one
// chunk per resource, so that an Organization's snapshot is never one string (V8 caps a string at about 512 MB).
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapshotChunks, type Snapshot } from '../src/inventory/snapshot.js';

const demo = JSON.parse(readFileSync(new URL('../fixtures/demo/org-snapshot.json', import.meta.url), 'utf8')) as Snapshot;

describe('snapshotChunks', () => {
  it('joined, is JSON.stringify of the snapshot; no chunk holds more than one resource', () => {
    const chunks = [...snapshotChunks(demo)];
    expect(chunks.join('')).toBe(JSON.stringify(demo));
    const largest = Math.max(...demo.resources.map((r) => JSON.stringify(r).length));
    const top = JSON.stringify({ ...demo, resources: [], callErrors: [], organizationAccounts: [] }).length;
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThanOrEqual(Math.max(largest + 1, top));
    expect(demo.resources.length).toBeGreaterThan(10);
  });

  it('can be iterated again for a second copy (the snapshot file and the evidence bundle)', () => {
    const chunks = snapshotChunks(demo);
    expect([...chunks].join('')).toBe([...chunks].join(''));
  });

  it('equals JSON.stringify for any shape: empty lists, absent and undefined members, other members', () => {
    const json = fc.jsonValue({ maxDepth: 3 });
    const snapshot = fc.record(
      {
        schemaVersion: fc.constant(1),
        resources: fc.array(fc.oneof(json, fc.constant(undefined)), { maxLength: 5 }),
        callErrors: fc.array(json, { maxLength: 3 }),
        organizationAccounts: fc.oneof(fc.array(fc.string(), { maxLength: 3 }), fc.constant(undefined)),
        notices: fc.oneof(fc.array(fc.string()), fc.constant(undefined)),
        scope: json,
      },
      { requiredKeys: ['schemaVersion'] },
    );
    fc.assert(
      fc.property(snapshot, (s) => {
        expect([...snapshotChunks(s as unknown as Snapshot)].join('')).toBe(JSON.stringify(s));
      }),
      { numRuns: 300 },
    );
  });
});
