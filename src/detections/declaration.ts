// What each detection declares it reads (policies/det/<id>.yaml: `input` and `events`), used three ways:
// the analyzer keeps exactly the declared events, LookupEvents asks only for them, and each detector sees
// a context limited to them — asking for an undeclared event throws, so the declaration cannot drift from
// the code without the detection being reported as not assessed (and its fixtures failing).
import { SES, SEND_EVENTS } from './event.js';
import { ALL_EVENTS, type KeyHistory, type DetectContext, type DetectionDefinition, type SendBucket, type SendSeries, type TrailEvent, type TrailThresholds } from './types.js';
import { byTime } from './windows.js';

/** Event names wanted per event source; ALL_EVENTS in a set means every event of the source. */
export type WantedEvents = Map<string, Set<string>>;

/** The CloudTrail events the given detections declare, merged. */
export function wantedEvents(definitions: readonly DetectionDefinition[]): WantedEvents {
  const wanted: WantedEvents = new Map();
  for (const definition of definitions) {
    if (definition.input !== 'cloudtrail') continue;
    for (const group of definition.events) {
      const names = wanted.get(group.source) ?? new Set<string>();
      for (const name of group.names) names.add(name);
      wanted.set(group.source, names);
    }
  }
  return wanted;
}

export function isWanted(wanted: WantedEvents, source: string, name: string): boolean {
  const names = wanted.get(source);
  return names !== undefined && (names.has(name) || names.has(ALL_EVENTS));
}

/** What to ask LookupEvents for: sources read whole, then single events of the other sources, sorted. */
export function lookupQuery(definitions: readonly DetectionDefinition[]): { sources: string[]; names: string[] } {
  const wanted = wantedEvents(definitions);
  const sources = [...wanted].filter(([, names]) => names.has(ALL_EVENTS)).map(([source]) => source).sort();
  const names = new Set<string>();
  for (const list of wanted.values()) if (!list.has(ALL_EVENTS)) for (const name of list) names.add(name);
  return { sources, names: [...names].sort() };
}

/** Everything the analyzer indexed at finish(), before it is scoped to one detection. */
export interface TrailIndex {
  thresholds: TrailThresholds;
  keyHistory: Map<string, KeyHistory>;
  span: { first: number; last: number; baselineUntil: number };
  byName: Map<string, TrailEvent[]>;
  sends: SendSeries[];
  sesCallsByKey: Map<string, TrailEvent[]>;
  sendsByKey: Map<string, SendBucket[]>;
}

/** A detection asked for data its declaration does not list. */
export class UndeclaredRead extends Error {}

/** The context one detection sees: its declared events only; its undecided notes go to `undecided`. */
export function scopedContext(index: TrailIndex, definition: DetectionDefinition, undecided: (reason: string) => void): DetectContext {
  const sourcesOf = new Map<string, Set<string>>();
  const whole = new Set<string>();
  for (const group of definition.events) {
    for (const name of group.names) {
      if (name === ALL_EVENTS) whole.add(group.source);
      else sourcesOf.set(name, (sourcesOf.get(name) ?? new Set()).add(group.source));
    }
  }
  const where = `${definition.id} declares in its events (policies/det/${definition.id}.yaml)`;
  const declaresSends = whole.has(SES) || [...SEND_EVENTS].some((name) => sourcesOf.get(name)?.has(SES));
  const visible = (event: TrailEvent) => whole.has(event.source) || sourcesOf.get(event.name)?.has(event.source) === true;
  return {
    thresholds: index.thresholds,
    named(...names) {
      const out: TrailEvent[] = [];
      for (const name of names) {
        if (!sourcesOf.has(name) && whole.size === 0) throw new UndeclaredRead(`it reads ${name}, which is not among the events ${where}`);
        for (const event of index.byName.get(name) ?? []) if (visible(event)) out.push(event);
      }
      return names.length > 1 ? out.sort(byTime) : out;
    },
    get sends() {
      if (!declaresSends) throw new UndeclaredRead(`it reads SES send volume, but no SES send event is among the events ${where}`);
      return index.sends;
    },
    sesByKey(accessKey) {
      if (!whole.has(SES)) throw new UndeclaredRead(`it reads every SES call of a key, but "${SES}: ['*']" is not among the events ${where}`);
      return { calls: index.sesCallsByKey.get(accessKey) ?? [], sends: index.sendsByKey.get(accessKey) ?? [] };
    },
    undecided,
    allOf(source) {
      if (!whole.has(source)) throw new UndeclaredRead(`it reads every event of ${source}, but "${source}: ['*']" is not among the events ${where}`);
      const out: TrailEvent[] = [];
      for (const list of index.byName.values()) for (const event of list) if (event.source === source) out.push(event);
      return out.sort(byTime);
    },
    keyHistory() {
      if (!definition.keyHistory) throw new UndeclaredRead(`it reads first-seen addresses and agents per key, but keyHistory is not declared in policies/det/${definition.id}.yaml`);
      return index.keyHistory;
    },
    span: index.span,
  };
}
