// How V8 runs the command line. V8 optimizes a function (TurboFan, on background threads) once it has done a small
// amount of work — right for a long-lived server, too eager for a run of a few seconds that touches a lot of code
// a few thousand times each: on bench B5 (sesguard iac on 200 Terraform modules) about 1 s of the process's 3 s of
// CPU time ran on V8's background threads, mostly optimizing code that then ran briefly. Four times V8's budget
// per function (Node 20) keeps that code in the baseline tiers a little longer: B5's CPU time fell by about 18 %,
// and a long run (B2's evaluate of 200,000 resources, 11 s) stayed the same. Set by `sesguard iac` only, where it
// was measured: a live scan (bench B3) used 5–10 % more CPU with it. Applied only to the V8 it was
// measured on (11.x, Node 20): another V8 might read the flag differently or not know it (and then print an
// error), so it keeps its defaults.
// docs/architecture.md, "B5: where the time goes".
import { setFlagsFromString } from 'node:v8';

/** V8's default interrupt budget in Node 20 (66 KB), times four. */
export const INTERRUPT_BUDGET = 4 * 66 * 1024;

let tuned = false;

/** Sets the budget once per process, on V8 11 only; returns whether it is set. */
export function tuneV8ForShortRuns(v8Version: string = process.versions.v8): boolean {
  if (!tuned && /^11\./.test(v8Version)) {
    setFlagsFromString(`--interrupt-budget=${INTERRUPT_BUDGET}`);
    tuned = true;
  }
  return tuned;
}
