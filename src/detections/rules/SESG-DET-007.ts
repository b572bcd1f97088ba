// SESG-DET-007: an access key created by CreateAccessKey is used for SES within 24 hours. Creating a
// fresh key and sending with it is how stolen access is turned into durable spam capacity (seed 000,
// "IAM key misuse": cross-reference keys in email events with recent unusual activity). The creation
// must have succeeded (a failed one made no key); SES calls the key made that were refused are an
// attempt to use it, reported apart from the calls that went through.
import { IAM, createdKey } from '../event.js';
import type { Detector, Hit, SendBucket, TrailEvent } from '../types.js';
import { HOUR, iso, distinct } from '../windows.js';
import { failedWith, minutes, shortPrincipal, tally } from './util.js';

export const USE_WINDOW_MS = 24 * HOUR;

interface Use {
  attempt: boolean;
  calls: TrailEvent[];
  sends: SendBucket[];
}

function describeUse(use: Use): { used: string; sendCount: number; samples: TrailEvent[] } {
  const sendCount = use.sends.reduce((n, b) => n + b.count, 0);
  const used = [...(use.calls.length > 0 ? [tally(use.calls.map((e) => e.name))] : []), ...(sendCount > 0 ? [`${sendCount} send calls`] : [])];
  return { used: used.join('; '), sendCount, samples: use.sends.flatMap((b) => b.samples) };
}

export const detector: Detector = {
  id: 'SESG-DET-007',
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
      const uses: Use[] = [
        { attempt: false, calls: calls.filter((e) => !e.errorCode), sends: sends.filter((b) => !b.failed) },
        { attempt: true, calls: calls.filter((e) => e.errorCode), sends: sends.filter((b) => b.failed) },
      ];
      for (const part of uses) {
        if (part.calls.length === 0 && part.sends.length === 0) continue;
        // Reductions, not Math.min(...spread): a busy key can have more calls than arguments fit.
        let firstUse = Infinity;
        let lastUse = -Infinity;
        for (const e of part.calls) {
          firstUse = Math.min(firstUse, e.time);
          lastUse = Math.max(lastUse, e.time);
        }
        for (const b of part.sends) {
          firstUse = Math.min(firstUse, Math.max(b.first, creation.time));
          lastUse = Math.max(lastUse, Math.min(b.last, until));
        }
        const { used, sendCount, samples } = describeUse(part);
        const events = [...part.calls, ...samples];
        const owner = created.userName ? `user ${created.userName}` : 'a user';
        const key = `access key ${created.accessKey} for ${owner}, created by ${shortPrincipal(creation.principal)} at ${iso(creation.time)},`;
        const from = distinct(events.map((e) => e.sourceIp)).join(', ') || 'unknown addresses';
        hits.push({
          attempt: part.attempt,
          subject: created.accessKey,
          subjectKind: 'access-key',
          account: creation.account,
          windowStart: creation.time,
          windowEnd: lastUse,
          message: part.attempt
            ? `${key} tried to use SES ${minutes(firstUse - creation.time)} later (${used}) from ${from}; ` +
              `${failedWith(events, part.calls.length + sendCount)}. Deactivate the key and review who created it.`
            : `${key} was used for SES ${minutes(firstUse - creation.time)} later (${used}) from ${from}. ` +
              `Deactivate the key and review who created it.`,
          events,
          related: [{ relation: 'key creation', events: [creation] }],
          details: {
            createdKey: created.accessKey,
            keyOwner: created.userName,
            createdBy: creation.principal,
            createdAt: iso(creation.time),
            firstSesUse: iso(firstUse),
            sesCalls: part.calls.length,
            sendCalls: sendCount,
            sendWindows: part.sends.map((b) => ({ windowStart: iso(b.start), count: b.count, regions: [...b.regions].sort() })),
          },
        });
      }
    }
    return hits;
  },
};
