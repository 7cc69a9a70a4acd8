/** Dates are stored in UTC and shown in Europe/London, in British English (DESIGN.md, Web UI). */
const dateTime = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  hour12: true,
});
const dateOnly = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });

export const formatDateTime = (at: Date): string => dateTime.format(at).replace(' at ', ', ');

/** A calendar date (`YYYY-MM-DD`) has no time zone: format it as it is. */
export const formatDate = (on: string | undefined): string => (on ? dateOnly.format(new Date(`${on}T00:00:00Z`)) : 'No deadline');
