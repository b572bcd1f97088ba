// A small XML writer for the query and EC2 protocols: a plain object becomes nested elements named
// by its keys, arrays become `<member>` (query) or `<item>` (EC2) lists, XmlMap becomes the
// `<entry><key/><value/></entry>` form of non-flattened query maps. Dates are ISO 8601.

export class XmlMap {
  constructor(readonly entries: Record<string, unknown>) {}
}

export type ListItemName = 'member' | 'item';

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);
}

function scalar(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return escapeXml(String(value));
}

function content(value: unknown, item: ListItemName): string {
  if (value instanceof XmlMap) {
    return Object.entries(value.entries)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<entry><key>${escapeXml(k)}</key><value>${content(v, item)}</value></entry>`)
      .join('');
  }
  if (Array.isArray(value)) return value.map((v) => `<${item}>${content(v, item)}</${item}>`).join('');
  if (value instanceof Date || typeof value !== 'object' || value === null) return scalar(value);
  return toXml(value as Record<string, unknown>, item);
}

/** Serialize the members of `obj` (not wrapped); undefined and null members are left out. */
export function toXml(obj: Record<string, unknown>, item: ListItemName): string {
  let out = '';
  for (const [key, value] of Object.entries(obj)) {
    if (value === undefined || value === null) continue;
    out += `<${key}>${content(value, item)}</${key}>`;
  }
  return out;
}
