/**
 * Calendar arithmetic in Europe/London, where the ARC works: "today", months for the dashboard and
 * follow-up due dates are London dates (DESIGN.md: dates shown in Europe/London, stored in UTC).
 */
const londonParts = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: '2-digit', day: '2-digit' });

/** The London calendar date of an instant, as `YYYY-MM-DD`. */
export const londonDate = (at: Date): string => {
  const parts = Object.fromEntries(londonParts.formatToParts(at).map((part) => [part.type, part.value]));
  return `${parts.year ?? ''}-${parts.month ?? ''}-${parts.day ?? ''}`;
};

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

const splitDate = (on: string): { year: number; month: number; day: number } => {
  const [year = 0, month = 1, day = 1] = on.split('-').map(Number);
  return { year, month, day };
};

const daysInMonth = (year: number, month: number): number => new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The date `months` calendar months later; the 31 January plus one month is the 28 (or 29) February. */
export const addMonths = (on: string, months: number): string => {
  const { year, month, day } = splitDate(on);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = (index % 12) + 1;
  return `${pad(targetYear, 4)}-${pad(targetMonth)}-${pad(Math.min(day, daysInMonth(targetYear, targetMonth)))}`;
};

/** The date `days` days later (negative: earlier). */
export const addDays = (on: string, days: number): string => {
  const { year, month, day } = splitDate(on);
  const shifted = new Date(Date.UTC(year, month - 1, day + days));
  return `${pad(shifted.getUTCFullYear(), 4)}-${pad(shifted.getUTCMonth() + 1)}-${pad(shifted.getUTCDate())}`;
};

/** `YYYY-MM` of a date. */
export const monthOf = (on: string): string => on.slice(0, 7);

/** Every month from the month of `from` to the month of `to`, inclusive, as `YYYY-MM`. */
export const monthsBetween = (from: string, to: string): string[] => {
  const months: string[] = [];
  for (let month = `${monthOf(from)}-01`; monthOf(month) <= monthOf(to); month = addMonths(month, 1)) {
    months.push(monthOf(month));
  }
  return months;
};

const monthNames = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `2025-03` as `Mar 2025`. */
export const monthLabel = (month: string): string => {
  const { year, month: number } = splitDate(`${month}-01`);
  return `${monthNames[number - 1] ?? ''} ${year}`;
};
