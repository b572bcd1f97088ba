// Notices from the sources as the one-line texts results carry: `file:line: message`; the same message
// at several places of one file is given once, with its lines, so a template full of one pre-processor's
// tags yields one notice, not hundreds.
import type { SourceNotice } from '../inventory/types.js';

/** Lines listed before "and N more". */
const MAX_LINES = 10;

function where(file: string | undefined, lines: number[]): string {
  const name = file ?? '(input)';
  if (lines.length === 0) return name;
  if (lines.length === 1) return `${name}:${lines[0]}`;
  const shown = lines.slice(0, MAX_LINES).join(', ');
  const more = lines.length > MAX_LINES ? ` and ${lines.length - MAX_LINES} more` : '';
  return `${name} (lines ${shown}${more})`;
}

export function formatNotices(notices: SourceNotice[]): string[] {
  const groups = new Map<string, { file?: string; message: string; lines: number[] }>();
  for (const notice of notices) {
    const key = `${notice.file ?? ''}\u0000${notice.message}`;
    const group = groups.get(key) ?? { file: notice.file, message: notice.message, lines: [] };
    if (notice.line !== undefined && !group.lines.includes(notice.line)) group.lines.push(notice.line);
    groups.set(key, group);
  }
  return [...groups.values()].map((g) => `${where(g.file, g.lines.sort((a, b) => a - b))}: ${g.message}`);
}
