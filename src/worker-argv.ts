// The Node options a worker thread of sesguard starts with: the process's own, except `--input-type` (a process
// started with `node -e` code, as the benchmarks and some wrappers do, would make a worker started from a file fail
// at once). Used by every pool: scan workers, flow log readers, Terraform parsers.
export function workerExecArgv(): string[] {
  return process.execArgv.filter((flag) => !flag.startsWith('--input-type'));
}
