#!/usr/bin/env node
// Entry point of the `sesguard` command: hands argv to the command line, bundled by `npm run build`
// (dist/bundle/, a few files instead of some 150 modules: start-up is SPEC §10 B6).
// The AWS SDK warns on every run under Node 20 that its 2027 releases will need Node 22; the lockfile pins the
// SDK, so that warning is noise on stderr here (and would break "one line per error"). Set it yourself to see it.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// `sesguard checks | head`: a closed pipe is the reader being done, not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}
// Node 22+ keeps compiled code between runs (as tsc does); Node 20 has no such cache.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
const { main } = await import('../dist/bundle/main.js');

process.exitCode = await main(process.argv.slice(2));
