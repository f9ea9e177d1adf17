import dayjs from 'dayjs';
import customParseFormat from 'dayjs/plugin/customParseFormat';
import timezone from 'dayjs/plugin/timezone';
import utc from 'dayjs/plugin/utc';
import 'dayjs/locale/vi';
import 'dayjs/locale/en';

dayjs.extend(customParseFormat);
dayjs.extend(utc);
dayjs.extend(timezone);

export const APP_TIME_ZONE = 'Asia/Ho_Chi_Minh';
export const DISPLAY_DATE = 'DD/MM/YYYY';
export const DISPLAY_DATE_TIME = 'DD/MM/YYYY HH:mm';

export function setDateLocale(lang: string): void {
  dayjs.locale(lang.startsWith('en') ? 'en' : 'vi');
}

/** Calendar date "YYYY-MM-DD" (or an ISO timestamp, read in Asia/Ho_Chi_Minh) → "dd/MM/yyyy". */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const d = dayjs(value, 'YYYY-MM-DD', true);
    return d.isValid() ? d.format(DISPLAY_DATE) : value;
  }
  const d = dayjs(value);
  return d.isValid() ? d.tz(APP_TIME_ZONE).format(DISPLAY_DATE) : value;
}

/** ISO timestamp → "dd/MM/yyyy HH:mm" in Asia/Ho_Chi_Minh. */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const d = dayjs(value);
  return d.isValid() ? d.tz(APP_TIME_ZONE).format(DISPLAY_DATE_TIME) : value;
}

/** Today's calendar date in Asia/Ho_Chi_Minh as "YYYY-MM-DD". */
export function todayIso(now: Date = new Date()): string {
  return dayjs(now).tz(APP_TIME_ZONE).format('YYYY-MM-DD');
}

/**
 * Parses a typed date of birth. Accepts dd/mm/yyyy (also d/m/yyyy, with "-" or "." as
 * separators) and yyyy-mm-dd. Returns "YYYY-MM-DD" or null when invalid.
 */
export function parseDateInput(input: string | null | undefined): string | null {
  const s = (input ?? '').trim();
  if (!s) return null;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  let y: number, mo: number, d: number;
  if (m) {
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  } else {
    m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s);
    if (!m) return null;
    [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const iso = `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const parsed = dayjs(iso, 'YYYY-MM-DD', true);
  return parsed.isValid() && parsed.format('YYYY-MM-DD') === iso ? iso : null;
}
