// The CEL environment every check is compiled in: dynamic variables plus the domain functions.
import { Environment } from '@marcbachmann/cel-js';
import { celFunctions } from '../functions/index.js';
import { celResult, rawValue } from './unknowns.js';

export type Compiled = (context: Record<string, unknown>) => unknown;

let environment: Environment | null = null;

function env(): Environment {
  if (!environment) {
    const e = new Environment({ unlistedVariablesAreDyn: true, homogeneousAggregateLiterals: false });
    for (const fn of celFunctions) e.registerFunction(fn.signature, viewed(fn.signature, fn.handler), { description: fn.description });
    environment = e;
  }
  return environment;
}

/**
 * Domain functions see raw values (Unknown markers included: they answer three-valued themselves), and
 * CEL sees their results through the same view as the resource (src/engine/unknowns.ts).
 */
function viewed(signature: string, handler: (...args: any[]) => unknown): (...args: any[]) => unknown {
  const where = `${signature.slice(0, signature.indexOf('('))}()`;
  return (...args: unknown[]) => {
    for (let i = 0; i < args.length; i++) if (typeof args[i] === 'object' && args[i] !== null) args[i] = rawValue(args[i]);
    return celResult(handler(...args), where);
  };
}

/** Parses and type-checks an expression once; throws with cel-js's message (position included). */
export function compile(expression: string): Compiled {
  const parsed = env().parse(expression);
  const checked = parsed.check();
  if (!checked.valid) throw checked.error ?? new Error('expression does not type-check');
  return parsed as unknown as Compiled;
}
