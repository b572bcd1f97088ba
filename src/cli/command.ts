// The shape of one command module (src/cli/<command>.ts): the options it takes and what it does with them.
// Its name, arguments and one-line summary live in the command table (commands.ts), which loads it lazily.
import type { Io } from './io.js';
import type { Options, Values } from './options.js';

export interface Command<O extends Options = Options> {
  options: O;
  /** Positional arguments, the parsed options and the io; returns the exit code. */
  run(args: string[], values: Values<O>, io: Io): number | Promise<number>;
}

/** Declares a command, typing `run`'s values from its options. */
export function command<O extends Options>(definition: Command<O>): Command<O> {
  return definition;
}
