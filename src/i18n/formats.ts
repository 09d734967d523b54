/**
 * Dates, times and numbers as a reader of each language writes them (Intl), always in UTC, the zone every time on
 * the site is given in.
 */
import type { Locale } from './locales.ts';

export interface Formats {
  /** "Nov 26, 2026" · "26 нояб. 2026 г." */
  date(date: Date): string;
  /** "Thu, Nov 26, 2026" · "чт, 26 нояб. 2026 г.": an expiration date. */
  dayAndDate(date: Date): string;
  /** "November 26, 2026 at 4:30 AM UTC", for hovering over a relative time and in mail. */
  time(date: Date): string;
  number(value: number): string;
}

const cache = new Map<Locale, Formats>();

export function formatsFor(locale: Locale): Formats {
  let formats = cache.get(locale);
  if (!formats) {
    const date = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
    const dayAndDate = new Intl.DateTimeFormat(locale, { weekday: 'short', month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
    const time = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });
    const number = new Intl.NumberFormat(locale);
    formats = {
      date: (value) => date.format(value),
      dayAndDate: (value) => dayAndDate.format(value),
      time: (value) => `${time.format(value)} UTC`,
      number: (value) => number.format(value),
    };
    cache.set(locale, formats);
  }
  return formats;
}
