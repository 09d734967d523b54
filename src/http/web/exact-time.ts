/**
 * The exact time, to the second, shown on hovering over a relative one ("Last used within the last week") and in the
 * token pages' tables: "Nov 15, 2026, 10:00:00 UTC" · "15 нояб. 2026 г., 10:00:00 UTC". Seconds tell two uses a
 * minute apart from each other, which formats.ts's `time` (to the minute) does not.
 */
import type { Locale } from '../../i18n/locales.ts';

const OPTIONS: Intl.DateTimeFormatOptions = {
  month: 'short', day: 'numeric', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  timeZone: 'UTC', timeZoneName: 'short',
};

const formatters = new Map<Locale, Intl.DateTimeFormat>();

export function exactTimeFormatter(locale: Locale): (date: Date) => string {
  let formatter = formatters.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, OPTIONS);
    formatters.set(locale, formatter);
  }
  const format = formatter;
  return (date) => format.format(date);
}
