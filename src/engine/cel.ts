// The CEL environment every check is compiled in: dynamic variables plus the domain functions.
import { Environment } from '@marcbachmann/cel-js';
import { celFunctions } from '../functions/index.js';

export type Compiled = (context: Record<string, unknown>) => unknown;

let environment: Environment | null = null;

function env(): Environment {
  if (!environment) {
    const e = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
    for (const fn of celFunctions) e.registerFunction(fn.signature, fn.handler, { description: fn.description });
    environment = e;
  }
  return environment;
}

/** Parses and type-checks an expression once; throws with cel-js's message (position included). */
export function compile(expression: string): Compiled {
  const parsed = env().parse(expression);
  const checked = parsed.check();
  if (!checked.valid) throw checked.error ?? new Error('expression does not type-check');
  return parsed as unknown as Compiled;
}
