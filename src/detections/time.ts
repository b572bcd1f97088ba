// Strict CloudTrail times: ISO 8601 with seconds and a time zone (`2026-11-23T02:10:00Z`, with an
// optional fraction, or `+02:00` / `+0200`). Anything else — a shipper's `2026-11-23 02:10:00.000`, an
// epoch number, a date without a zone — is not a time the detections may order events by: the record is
// malformed. Hand-written because it runs on every record: several times faster than a RegExp plus
// Date.parse, and it never guesses a zone.

function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Days before each month in a common year. */
const DAYS_BEFORE = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
const DAYS_IN = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Where the zone starts (after seconds and fraction), or -1 when the text is not a strict time. */
function zoneStart(text: string): number {
  if (text.length < 20) return -1;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) {
    return -1;
  }
  if (
    twoDigits(text, 0) < 0 || twoDigits(text, 2) < 0 || twoDigits(text, 5) < 0 || twoDigits(text, 8) < 0 ||
    twoDigits(text, 11) < 0 || twoDigits(text, 14) < 0 || twoDigits(text, 17) < 0
  ) {
    return -1;
  }
  let i = 19;
  if (text.charCodeAt(i) === 46) {
    i++;
    const from = i;
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    if (i === from) return -1;
  }
  return i;
}

/** Zone offset in minutes east of UTC, or NaN when the zone part is not `Z`, `±hh:mm` or `±hhmm`. */
function zoneOffset(text: string, at: number): number {
  const sign = text.charCodeAt(at);
  if (sign === 90) return at + 1 === text.length ? 0 : NaN;
  if (sign !== 43 && sign !== 45) return NaN;
  const hours = twoDigits(text, at + 1);
  const colon = text.charCodeAt(at + 3) === 58;
  const minutes = twoDigits(text, colon ? at + 4 : at + 3);
  if (at + (colon ? 6 : 5) !== text.length || hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return NaN;
  return (sign === 43 ? 1 : -1) * (hours * 60 + minutes);
}

/** The kinds of text `eventTimeKind` tells apart. */
export const NOT_A_TIME = 0;
export const UTC_TIME = 1;
export const OFFSET_TIME = 2;

/**
 * NOT_A_TIME, UTC_TIME (`…Z`) or OFFSET_TIME (`…+02:00`), without computing the epoch. UTC times order
 * correctly as text to the second, which lets the analyzer track the span of millions of records cheaply.
 */
export function eventTimeKind(text: unknown): number {
  if (typeof text !== 'string') return NOT_A_TIME;
  const zone = zoneStart(text);
  if (zone < 0) return NOT_A_TIME;
  const offset = zoneOffset(text, zone);
  if (Number.isNaN(offset)) return NOT_A_TIME;
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (month < 1 || month > 12 || twoDigits(text, 11) > 23 || twoDigits(text, 14) > 59 || twoDigits(text, 17) > 60) return NOT_A_TIME;
  if (day < 1 || day > DAYS_IN[month - 1] + (month === 2 && isLeap(year) ? 1 : 0)) return NOT_A_TIME;
  return text.charCodeAt(zone) === 90 ? UTC_TIME : OFFSET_TIME;
}

function leapsBefore(year: number): number {
  return Math.floor(year / 4) - Math.floor(year / 100) + Math.floor(year / 400);
}

/** Epoch milliseconds of a strict CloudTrail time, or NaN. */
export function parseEventTime(text: unknown): number {
  if (eventTimeKind(text) === NOT_A_TIME) return NaN;
  const value = text as string;
  const zone = zoneStart(value);
  const offset = zoneOffset(value, zone);
  const year = twoDigits(value, 0) * 100 + twoDigits(value, 2);
  const month = twoDigits(value, 5);
  let millis = 0;
  for (let i = 20, scale = 100; i < zone && scale >= 1; i++, scale /= 10) millis += (value.charCodeAt(i) - 48) * scale;
  const days =
    (year - 1970) * 365 + leapsBefore(year - 1) - leapsBefore(1969) + DAYS_BEFORE[month - 1] + (month > 2 && isLeap(year) ? 1 : 0) + twoDigits(value, 8) - 1;
  return ((days * 24 + twoDigits(value, 11)) * 60 + twoDigits(value, 14) - offset) * 60_000 + twoDigits(value, 17) * 1000 + millis;
}
