// GitHub Action entry (action.yml runs `node dist/action/index.js`): inputs from the environment → the same
// `run(argv, io)` the CLI uses → step outputs, the job summary and the exit code (0 pass, 1 the gate failed,
// 2 the result cannot be trusted). The exit code is the CLI's: with a baseline, only new findings at or above
// fail-on fail the step.
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run as runCli, type Io } from '../cli/main.js';
import { readBaselineFile, readResults as readResultsFile } from '../cli/read.js';
import { applyBaseline } from '../engine/baseline.js';
import { ConfigError } from '../errors.js';
import { redactCommand } from '../evidence/redact.js';
import { DEFAULT_MAX_MARKDOWN_BYTES } from '../reporters/markdown.js';
import { reporters } from '../reporters/index.js';
import type { Results } from '../results.js';
import { annotation, boundSummary, writeOutputs } from './github.js';
import { buildArgv, readInputs, type ActionInputs, type Env } from './inputs.js';

export interface ActionIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** The clock handed to the CLI (tests pin it). */
  now?: () => Date;
  /** The CLI entry; tests may wrap it. */
  run?: (argv: string[], io: Io) => Promise<number>;
}

/** The results the run wrote; read in chunks (an Organization's run to hundreds of MB), as `report` reads them. */
function readResults(file: string, io: Io): Results | null {
  if (!existsSync(file)) return null;
  try {
    return readResultsFile(file, io);
  } catch {
    return null;
  }
}

/** How many baseline findings are gone, for the summary's trend; undefined when the baseline cannot be read. */
async function fixedCount(results: Results, inputs: ActionInputs, io: Io): Promise<number | undefined> {
  if (!inputs.baseline) return undefined;
  try {
    const file = path.resolve(io.cwd, inputs.baseline);
    return applyBaseline(results, await readBaselineFile(file, io, results)).summary.fixed;
  } catch {
    return undefined;
  }
}

function appendSummary(env: Env, inputs: ActionInputs | null, text: string): void {
  if (!env.GITHUB_STEP_SUMMARY || inputs?.uploadSummary === false) return;
  appendFileSync(env.GITHUB_STEP_SUMMARY, boundSummary(text));
}

function why(code: number, inputs: ActionInputs): string {
  if (code === 2) return 'the result cannot be trusted (a usage or config error, missing credentials, or an input that cannot be parsed): see the log above';
  const gate = inputs.failOn === 'none' ? '' : `${inputs.baseline ? 'new ' : ''}findings at or above ${inputs.failOn}`;
  const score = inputs.minScore ? `a score below ${inputs.minScore}` : '';
  return `the run found ${[gate, score].filter(Boolean).join(' or ')}`;
}

/** Runs the action in the environment `env` (what the runner provides), returning the exit code. */
export async function runAction(env: Env, io: ActionIo): Promise<number> {
  const cwd = env.GITHUB_WORKSPACE || process.cwd();
  // Everything printed until the end (file names, messages, resource names from templates) is data: stop the
  // runner from reading any of it as a workflow command.
  const token = randomUUID();
  io.stdout(`::stop-commands::${token}\n`);
  let resumed = false;
  const resume = () => {
    if (!resumed) io.stdout(`::${token}::\n`);
    resumed = true;
  };
  let inputs: ActionInputs | null = null;
  try {
    inputs = readInputs(env);
    const jsonFile = path.resolve(cwd, inputs.jsonFile ?? path.join(env.RUNNER_TEMP || os.tmpdir(), `sesguard-results-${token}.json`));
    // A results file left by an earlier step must not be mistaken for this run's.
    rmSync(jsonFile, { force: true });
    const argv = buildArgv(inputs, jsonFile);
    io.stdout(`sesguard ${redactCommand(argv).map((a) => JSON.stringify(a)).join(' ')}\n`);
    const cliIo: Io = { cwd, stdout: io.stdout, stderr: io.stderr, color: false, stderrIsTty: false, env: env as NodeJS.ProcessEnv, now: io.now };
    const code = await (io.run ?? runCli)(argv, cliIo);

    const results = readResults(jsonFile, cliIo);
    if (results) {
      const open = results.findings.filter((f) => !f.suppressed);
      const baselineFixed = await fixedCount(results, inputs, cliIo);
      writeOutputs(
        {
          score: results.score.overall === null ? '' : String(results.score.overall),
          findings: String(open.length),
          'new-findings': String(open.filter((f) => f.baselineState !== 'unchanged').length),
          'sarif-file': inputs.sarifFile,
          'json-file': inputs.jsonFile ?? jsonFile,
          'exit-code': String(code),
        },
        env.GITHUB_OUTPUT,
        io.stdout,
      );
      appendSummary(env, inputs, reporters.markdown(results, { maxMarkdownBytes: DEFAULT_MAX_MARKDOWN_BYTES, baselineFixed }));
    } else {
      writeOutputs({ score: '', findings: '', 'new-findings': '', 'sarif-file': '', 'json-file': '', 'exit-code': String(code) }, env.GITHUB_OUTPUT, io.stdout);
      appendSummary(env, inputs, `## sesguard ${inputs.mode}\n\nsesguard stopped before writing results (exit code ${code}); see the job log.\n`);
    }
    resume();
    if (code !== 0) io.stdout(annotation('error', `sesguard ${inputs.mode}`, why(code, inputs)));
    return code;
  } catch (error) {
    const message = error instanceof ConfigError ? error.message : `internal error: ${(error as Error)?.message ?? String(error)}`;
    io.stderr(`sesguard-action: ${message}\n`);
    try {
      writeOutputs({ 'exit-code': '2' }, env.GITHUB_OUTPUT, io.stdout);
      appendSummary(env, inputs, `## sesguard\n\nThe action could not run: ${message.replace(/[<>&`|*_[\]\\]/g, (c) => `\\${c}`)}\n`);
    } catch {
      // The error above is what the user needs to see.
    }
    resume();
    io.stdout(annotation('error', 'sesguard', message));
    return 2;
  }
}

/** True when node was started on this file (the action), not when a test or the library imports it. */
function startedDirectly(): boolean {
  if (process.argv[1] === undefined) return false;
  try {
    // The loader resolves symlinks in the entry's URL; argv[1] is as typed.
    return realpathSync(fileURLToPath(import.meta.url)) === realpathSync(process.argv[1]);
  } catch {
    return false;
  }
}

const invoked = startedDirectly();
if (invoked) {
  // See bin/sesguard.js: the SDK's Node-version notice is noise on a runner.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  process.exitCode = await runAction(process.env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  });
}
