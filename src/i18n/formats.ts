/**
 * Dates and times as a reader of each language writes them (Intl), always in UTC, the zone every time on
 * the site is given in.
 */
import type { Locale } from './locales.ts';

export interface Formats {
  /** "Nov 26, 2026" · "26 нояб. 2026 г." */
  date(date: Date): string;
  /** "November 26, 2026 at 4:30 AM UTC", in mail and notices. */
  time(date: Date): string;
  /**
   * "Nov 15, 2026, 10:00:00 UTC" · "15 нояб. 2026 г., 10:00:00 UTC": to the second, on hovering over a relative time
   * ("Last used within the last week") and in the token pages' tables, where two uses a minute apart differ.
   */
  exact(date: Date): string;
}

const cache = new Map<Locale, Formats>();

export function formatsFor(locale: Locale): Formats {
  let formats = cache.get(locale);
  if (!formats) {
    const date = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
    const time = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
    const exact = new Intl.DateTimeFormat(locale, {
      month: 'short', day: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23',
      timeZone: 'UTC', timeZoneName: 'short',
    });
    formats = {
      date: (value) => date.format(value),
      time: (value) => `${time.format(value)} UTC`,
      exact: (value) => exact.format(value),
    };
    cache.set(locale, formats);
  }
  return formats;
}
