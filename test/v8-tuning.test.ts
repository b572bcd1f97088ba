// The command line's V8 tuning (src/cli/v8-tuning.ts) applies only to the V8 it was measured on, and once.
import { describe, expect, it } from 'vitest';
import { tuneV8ForShortRuns } from '../src/cli/v8-tuning.js';

describe('V8 tuning for short runs', () => {
  it('leaves another V8 with its defaults (it might not know the flag, and would print an error)', () => {
    expect(tuneV8ForShortRuns('12.4.254.21-node.33')).toBe(false);
    expect(tuneV8ForShortRuns('13.6.233.10-node.18')).toBe(false);
  });

  it('sets the budget on V8 11 (Node 20), once', () => {
    expect(tuneV8ForShortRuns('11.3.244.8-node.30')).toBe(true);
    expect(tuneV8ForShortRuns('11.3.244.8-node.30')).toBe(true);
  });
});
