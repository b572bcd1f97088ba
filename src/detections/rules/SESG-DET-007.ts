// SESG-DET-007: an access key created by CreateAccessKey is used for SES within 24 hours. Creating a
// fresh key and sending with it is how stolen access is turned into durable spam capacity (seed 000,
// "IAM key misuse": cross-reference keys in email events with recent unusual activity).
import { IAM, param } from '../event.js';
import type { Detector, Hit, TrailEvent } from '../types.js';
import { HOUR, iso, distinct } from '../windows.js';
import { minutes, shortPrincipal, str, tally } from './util.js';

export const USE_WINDOW_MS = 24 * HOUR;

/** The key id and owner a successful CreateAccessKey returned. */
export function createdKey(event: TrailEvent): { accessKey: string; userName?: string } | null {
  if (event.errorCode) return null;
  const key = param(event.response, 'accessKey') as Record<string, unknown> | undefined;
  const accessKey = str(param(key, 'accessKeyId'));
  if (!accessKey) return null;
  return { accessKey, userName: str(param(key, 'userName')) ?? str(param(event.params, 'userName')) };
}

export const detector: Detector = {
  id: 'SESG-DET-007',
  events: [{ source: IAM, names: ['CreateAccessKey'] }],
  detect(context) {
    const hits: Hit[] = [];
    for (const creation of context.named('CreateAccessKey')) {
      if (creation.source !== IAM) continue;
      const created = createdKey(creation);
      if (!created) continue;
      const until = creation.time + USE_WINDOW_MS;
      const use = context.sesByKey(created.accessKey);
      const calls = use.calls.filter((e) => e.time >= creation.time && e.time <= until);
      const sends = use.sends.filter((b) => b.last >= creation.time && b.first <= until);
      if (calls.length === 0 && sends.length === 0) continue;
      const sendCount = sends.reduce((n, b) => n + b.count, 0);
      // Reductions, not Math.min(...spread): a busy key can have more calls than arguments fit.
      let firstUse = Infinity;
      let lastUse = -Infinity;
      for (const e of calls) {
        firstUse = Math.min(firstUse, e.time);
        lastUse = Math.max(lastUse, e.time);
      }
      for (const b of sends) {
        firstUse = Math.min(firstUse, Math.max(b.first, creation.time));
        lastUse = Math.max(lastUse, Math.min(b.last, until));
      }
      const sendSamples = sends.flatMap((b) => b.samples);
      const used = [...(calls.length > 0 ? [tally(calls.map((e) => e.name))] : []), ...(sendCount > 0 ? [`${sendCount} send calls`] : [])];
      const owner = created.userName ? `user ${created.userName}` : 'a user';
      hits.push({
        subject: created.accessKey,
        subjectKind: 'access-key',
        account: creation.account,
        windowStart: creation.time,
        windowEnd: lastUse,
        message:
          `access key ${created.accessKey} for ${owner}, created by ${shortPrincipal(creation.principal)} at ${iso(creation.time)}, ` +
          `was used for SES ${minutes(firstUse - creation.time)} later (${used.join('; ')}) from ` +
          `${distinct([...calls, ...sendSamples].map((e) => e.sourceIp)).join(', ') || 'unknown addresses'}. ` +
          `Deactivate the key and review who created it.`,
        events: [creation, ...calls, ...sendSamples],
        related: [
          { relation: 'key creation', events: [creation] },
          { relation: 'SES requests made with the key', events: [...calls, ...sendSamples] },
        ],
        details: {
          createdKey: created.accessKey,
          keyOwner: created.userName,
          createdBy: creation.principal,
          createdAt: iso(creation.time),
          firstSesUse: iso(firstUse),
          sesCalls: calls.length,
          sendCalls: sendCount,
          sendWindows: sends.map((b) => ({ windowStart: iso(b.start), count: b.count, regions: [...b.regions].sort() })),
        },
      });
    }
    return hits;
  },
};
