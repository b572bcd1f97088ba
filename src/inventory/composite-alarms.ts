// Composite alarms (CloudWatch): which composite alarms alert when a metric alarm goes to ALARM. AWS recommends
// leaving the actions off the metric alarms that a composite alarm combines and putting them on the composite
// (fewer, better alerts); such a metric alarm still gets someone told, through the composite. Each source (live
// scan, CloudFormation, Terraform) lists its composite alarms and the names by which a rule can refer to each
// alarm; `linkComposites` sets each metric alarm's `notifiedThrough`, which SESG-MON-001…004 read.
//
// Three-valued: a composite whose rule, actions or enablement cannot be read makes the answer Unknown only when no
// other composite surely alerts. A rule that needs other alarms too (`ALARM(a) AND ALARM(b)`) does not alert on
// this alarm alone: that is a known "no", not an Unknown.
import { type CloudWatchAlarmProps, type Maybe, type Unknown, isUnknown, unknown } from './types.js';

/** One composite alarm as a source read it. */
export interface CompositeAlarmInput {
  /** Its name, for messages (Unknown when generated at deployment). */
  name: Maybe<string>;
  /** Every text by which a rule may refer to it: its name, its ARN, a template's reference text. */
  keys: string[];
  rule: Maybe<string>;
  actionsEnabled: Maybe<boolean>;
  alarmActions: Maybe<Maybe<string>[]>;
}

/** One metric alarm: its props (to which `notifiedThrough` is written) and the texts a rule may name it by. */
export interface MetricAlarmInput {
  keys: string[];
  props: CloudWatchAlarmProps;
}

type State = 'ALARM' | 'OK' | 'INSUFFICIENT_DATA';
type Condition = State | 'NOT_ALARM' | 'NOT_OK' | 'NOT_INSUFFICIENT_DATA';

/** An AlarmRule's syntax tree. */
export type AlarmRule =
  | { kind: 'const'; value: boolean }
  | { kind: 'state'; state: State; name: string }
  | { kind: 'not'; rule: AlarmRule }
  | { kind: 'and' | 'or'; rules: AlarmRule[] }
  | { kind: 'atLeast'; count: number; percent: boolean; condition: Condition; names: string[] };

const STATES = new Set<string>(['ALARM', 'OK', 'INSUFFICIENT_DATA']);
const CONDITIONS = new Set<string>([...STATES, 'NOT_ALARM', 'NOT_OK', 'NOT_INSUFFICIENT_DATA']);

/** Parses an AlarmRule (AND, OR, NOT, parentheses, ALARM/OK/INSUFFICIENT_DATA(name), TRUE, FALSE, AT_LEAST). */
export function parseAlarmRule(text: string): AlarmRule {
  let at = 0;
  const fail = (what: string): never => {
    throw new Error(`${what} at character ${at + 1} of the alarm rule`);
  };
  const space = () => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const word = (): string => {
    space();
    const m = /^[A-Za-z_]+/.exec(text.slice(at));
    return m ? m[0] : '';
  };
  const expect = (c: string) => {
    space();
    if (text[at] !== c) fail(`expected "${c}"`);
    at++;
  };
  // A name, quoted or not; unquoted, it runs to the next `)` or `,` (names may hold spaces).
  const name = (): string => {
    space();
    if (text[at] === '"') {
      const end = text.indexOf('"', at + 1);
      if (end < 0) fail('unterminated quoted name');
      const quoted = text.slice(at + 1, end);
      at = end + 1;
      return quoted;
    }
    const m = /^[^),]+/.exec(text.slice(at));
    if (!m || m[0].trim() === '') fail('expected an alarm name');
    at += m![0].length;
    return m![0].trim();
  };
  const primary = (): AlarmRule => {
    space();
    if (text[at] === '(') {
      at++;
      const inner = or();
      expect(')');
      return inner;
    }
    const w = word().toUpperCase();
    if (!w) fail('expected a rule');
    at += w.length;
    if (w === 'NOT') return { kind: 'not', rule: primary() };
    if (w === 'TRUE' || w === 'FALSE') return { kind: 'const', value: w === 'TRUE' };
    if (STATES.has(w)) {
      expect('(');
      const n = name();
      expect(')');
      return { kind: 'state', state: w as State, name: n };
    }
    if (w === 'AT_LEAST') {
      expect('(');
      space();
      const m = /^(\d+)(%?)/.exec(text.slice(at));
      if (!m) fail('expected a count');
      at += m![0].length;
      expect(',');
      const condition = word().toUpperCase();
      if (!CONDITIONS.has(condition)) fail('expected an alarm state');
      at += condition.length;
      expect(',');
      expect('(');
      const names = [name()];
      for (space(); text[at] === ','; space()) {
        at++;
        names.push(name());
      }
      expect(')');
      expect(')');
      return { kind: 'atLeast', count: Number(m![1]), percent: m![2] === '%', condition: condition as Condition, names };
    }
    return fail(`unknown function or operator ${w}`);
  };
  const joined = (op: 'AND' | 'OR', operand: () => AlarmRule): AlarmRule => {
    const rules = [operand()];
    for (;;) {
      space();
      const w = word();
      if (w.toUpperCase() !== op) break;
      at += w.length;
      rules.push(operand());
    }
    return rules.length === 1 ? rules[0] : { kind: op === 'AND' ? 'and' : 'or', rules };
  };
  const and = () => joined('AND', primary);
  const or = (): AlarmRule => joined('OR', and);
  const rule = or();
  space();
  if (at < text.length) fail('unexpected text');
  return rule;
}

/** Kleene's three values: true, false, and "depends on other alarms' states". */
type K = true | false | 'maybe';

function not(v: K): K {
  return v === 'maybe' ? v : !v;
}

/**
 * The value of `rule` while the alarm named by `keys` is in ALARM and every other alarm's state is open, except
 * composites that `alarms(name)` says surely are in ALARM then too.
 */
function evaluate(rule: AlarmRule, inAlarm: (name: string) => K): K {
  switch (rule.kind) {
    case 'const':
      return rule.value;
    case 'state': {
      const alarm = inAlarm(rule.name);
      return rule.state === 'ALARM' ? alarm : alarm === true ? false : 'maybe';
    }
    case 'not':
      return not(evaluate(rule.rule, inAlarm));
    case 'and': {
      const values = rule.rules.map((r) => evaluate(r, inAlarm));
      return values.includes(false) ? false : values.includes('maybe') ? 'maybe' : true;
    }
    case 'or': {
      const values = rule.rules.map((r) => evaluate(r, inAlarm));
      return values.includes(true) ? true : values.includes('maybe') ? 'maybe' : false;
    }
    case 'atLeast': {
      const values = rule.names.map((n): K => {
        const alarm = inAlarm(n);
        if (rule.condition === 'ALARM') return alarm;
        if (rule.condition === 'NOT_ALARM') return not(alarm);
        // OK / INSUFFICIENT_DATA (and their negations): false / true while the alarm is in ALARM.
        if (alarm === true) return rule.condition.startsWith('NOT_');
        return 'maybe';
      });
      const need = rule.percent ? Math.ceil((rule.count * values.length) / 100) : rule.count;
      const sure = values.filter((v) => v === true).length;
      const open = values.filter((v) => v === 'maybe').length;
      return sure >= need ? true : sure + open < need ? false : 'maybe';
    }
  }
}

/** A composite with its rule parsed (or why it cannot be read). */
interface Composite {
  input: CompositeAlarmInput;
  label: string;
  rule: AlarmRule | Unknown;
  /** Names in the rule that are not known (a reference resolved only at deployment): why, when there are some. */
  holes?: string;
}

/** Stands in for an unknown piece of a rule (`\uE000<n>\uE000`): a name holding one may be any alarm's. */
const HOLE = /\uE000(\d+)\uE000/;
/** More unknown names than this, and which alarms they name is not tried out (2^n cases). */
const MAX_HOLES = 8;

function prepare(input: CompositeAlarmInput): Composite {
  const label = isUnknown(input.name) ? `(a composite alarm whose name is not known: ${input.name.$unknown})` : input.name;
  const unreadable = (why: string): Composite => ({ input, label, rule: unknown(`composite alarm ${label}: AlarmRule${why}`) });
  let text: string;
  let holes: string | undefined;
  if (typeof input.rule === 'string') text = input.rule;
  else if (input.rule.parts && input.rule.parts.filter(isUnknown).length <= MAX_HOLES) {
    // Known text around unknown names (`ALARM(${aws_cloudwatch_metric_alarm.x.arn})`): each hole may name any alarm.
    let n = 0;
    text = input.rule.parts.map((part) => (typeof part === 'string' ? part : `\uE000${n++}\uE000`)).join('');
    holes = input.rule.$unknown;
  } else return unreadable(`: ${input.rule.$unknown}`);
  try {
    return { input, label, rule: parseAlarmRule(text), holes };
  } catch (error) {
    return holes ? unreadable(`: ${holes}`) : unreadable(` is not understood: ${(error as Error).message}`);
  }
}

/** Whether a composite's own actions tell someone: true, false, or why it is not known. */
function alerts(c: Composite): boolean | Unknown {
  const { actionsEnabled, alarmActions } = c.input;
  if (actionsEnabled === false) return false;
  if (Array.isArray(alarmActions) && alarmActions.length === 0) return false;
  if (isUnknown(actionsEnabled)) return unknown(`composite alarm ${c.label}: ActionsEnabled: ${actionsEnabled.$unknown}`);
  if (isUnknown(alarmActions)) return unknown(`composite alarm ${c.label}: AlarmActions: ${alarmActions.$unknown}`);
  return true;
}

/**
 * Sets `notifiedThrough` on every metric alarm: the composites that surely go to ALARM whenever it does and whose
 * actions are enabled and non-empty (nested composites followed), or Unknown when one could and cannot be read.
 */
export function linkComposites(metricAlarms: readonly MetricAlarmInput[], composites: readonly CompositeAlarmInput[]): void {
  if (composites.length === 0) return;
  const prepared = composites.map(prepare);
  const byKey = new Map<string, Composite>();
  for (const c of prepared) for (const key of c.input.keys) byKey.set(key, c);
  for (const alarm of metricAlarms) {
    const own = new Set(alarm.keys);
    // Composite → whether it is surely in ALARM while this alarm is (memoised; a cycle is "maybe").
    const memo = new Map<Composite, K | 'visiting'>();
    const fires = (c: Composite): K => {
      const seen = memo.get(c);
      if (seen === 'visiting') return 'maybe';
      if (seen !== undefined) return seen;
      if (isUnknown(c.rule)) return 'maybe';
      memo.set(c, 'visiting');
      const value = evaluate(c.rule, (name) => (HOLE.test(name) ? 'maybe' : inAlarm(name)));
      memo.set(c, value);
      return value;
    };
    const inAlarm = (name: string): K => {
      if (own.has(name)) return true;
      const c = byKey.get(name);
      return c ? (fires(c) === true ? true : 'maybe') : 'maybe';
    };
    // With its unknown names as other alarms it does not surely fire: could it, were some of them this alarm?
    const couldFire = (c: Composite & { rule: AlarmRule }): boolean => {
      const count = (c.input.rule as Unknown).parts?.filter(isUnknown).length ?? 0;
      for (let mine = 1; mine < 1 << count; mine++) {
        const named = (name: string): K => {
          const hole = HOLE.exec(name);
          return hole ? ((mine >> Number(hole[1])) & 1 ? true : 'maybe') : inAlarm(name);
        };
        if (evaluate(c.rule, named) === true) return true;
      }
      return false;
    };
    const sure: string[] = [];
    let undecided: Unknown | undefined;
    for (const c of prepared) {
      const through = alerts(c);
      if (through === false) continue;
      if (isUnknown(c.rule)) {
        undecided ??= c.rule;
        continue;
      }
      if (fires(c) !== true) {
        if (c.holes && couldFire(c as Composite & { rule: AlarmRule })) undecided ??= unknown(`composite alarm ${c.label}: AlarmRule names alarms not known before deployment (${c.holes})`);
        continue;
      }
      if (through === true) sure.push(c.label);
      else undecided ??= through;
    }
    alarm.props.notifiedThrough = sure.length > 0 || !undecided ? sure : undecided;
  }
}
