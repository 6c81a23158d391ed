/**
 * ISO calendar dates (YYYY-MM-DD) as whole days, without time zones: a date is its day number
 * since 1970-01-01 (proleptic Gregorian, UTC arithmetic only). Browser-safe, no clock.
 */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of an ISO date, or null when the text is not a real date of years 1900–9999. */
export function isoDayNumber(iso: string): number | null {
  const m = ISO_DATE.exec(iso);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  if (y < 1900 || mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return Math.round(ms / 86_400_000);
}

/** True when the text is an ISO date (YYYY-MM-DD) that exists. */
export function isIsoDate(iso: string): boolean {
  return isoDayNumber(iso) !== null;
}

/** ISO date of a day number. */
export function isoFromDayNumber(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOfDayNumber(day: number): number {
  // 1970-01-01 was a Thursday (4).
  return (((day + 4) % 7) + 7) % 7;
}

/** The ISO date `n` calendar days after `iso` (n may be negative). */
export function addCalendarDays(iso: string, n: number): string {
  const day = isoDayNumber(iso);
  if (day === null) throw new RangeError(`not an ISO date: ${iso}`);
  return isoFromDayNumber(day + n);
}

/** The calendar date in China (UTC+8, no daylight saving) at an instant. */
export function isoDateInChina(at: Date): string {
  return isoFromDayNumber(Math.floor((at.getTime() + 8 * 3_600_000) / 86_400_000));
}
