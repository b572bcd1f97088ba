// What a command may touch of the outside world: the terminal streams, the working directory, the clock,
// the environment and the Ctrl-C signal. Tests pass their own; bin/sesguard.js passes the process's.
export interface Io {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  color: boolean;
  now?: () => Date;
  /** True when stderr is a terminal: progress is shown only then. */
  stderrIsTty?: boolean;
  /** Environment for the live scan (AWS SDK reads its own variables as usual). */
  env?: NodeJS.ProcessEnv;
  /** Aborts a running scan (Ctrl-C); outputs are still written, marked incomplete. */
  signal?: AbortSignal;
  /** The command line, for the evidence bundle's manifest (set by run()). */
  argv?: string[];
}
