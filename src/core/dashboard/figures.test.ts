import { describe, expect, it } from 'vitest';
import { addDays, addMonths, londonDate, monthLabel, monthsBetween } from './calendar.js';
import { defaultRange, dashboardRangeSchema } from './dashboard.js';
import { buildFigures, type Figure } from './figures.js';
import type { NeedFact } from './ports.js';
import { mean, median } from './stats.js';

describe('calendar in Europe/London', () => {
  it.each([
    ['2026-03-29T00:30:00Z', '2026-03-29'],
    ['2026-06-30T23:30:00Z', '2026-07-01'],
    ['2026-12-31T23:30:00Z', '2026-12-31'],
  ])('dates %s as %s', (at, on) => {
    expect(londonDate(new Date(at))).toBe(on);
  });

  it('adds months and days on the calendar', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-11-15', 3)).toBe('2026-02-15');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(monthsBetween('2025-11-20', '2026-02-01')).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
    expect(monthLabel('2026-02')).toBe('Feb 2026');
  });

  it('defaults to the last twelve months and checks a chosen period', () => {
    expect(defaultRange('2026-03-15')).toEqual({ from: '2025-04-01', to: '2026-03-15' });
    expect(dashboardRangeSchema.safeParse({ from: '2026-03-01', to: '2026-02-01' }).success).toBe(false);
    expect(dashboardRangeSchema.safeParse({ from: '2000-01-01', to: '2026-02-01' }).success).toBe(false);
  });
});

describe('statistics', () => {
  it('takes the median of odd and even counts, and the mean', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
    expect(median([])).toBeUndefined();
    expect(mean([1, 2, 6])).toBe(3);
  });
});

const need = (overrides: Partial<NeedFact>): NeedFact => ({
  receivedOn: '2026-01-10',
  deliveredOn: undefined,
  daysToFirstResponse: undefined,
  daysToDelivery: undefined,
  themes: [],
  organisationType: undefined,
  tier: undefined,
  ...overrides,
});

const rowsOf = (figures: Figure[], id: string) => figures.find((figure) => figure.id === id)?.rows;

describe('dashboard figures', () => {
  const range = { from: '2026-01-01', to: '2026-03-31' };
  const figures = buildFigures(range, {
    needs: [
      need({ receivedOn: '2026-01-05', deliveredOn: '2026-02-04', daysToFirstResponse: 1, daysToDelivery: 30, themes: ['Falls', 'Frailty'], organisationType: 'local_authority', tier: 'quick_answer' }),
      need({ receivedOn: '2026-01-20', daysToFirstResponse: 2.5, themes: ['Falls'], organisationType: 'vcse', tier: 'rapid_review' }),
      need({ receivedOn: '2026-03-02', daysToFirstResponse: 0.25, organisationType: 'local_authority' }),
      need({ receivedOn: '2026-03-30' }),
      // Received before the period, delivered in it: counts as delivered, not received.
      need({ receivedOn: '2025-11-01', deliveredOn: '2026-03-01', daysToFirstResponse: 3, daysToDelivery: 120, tier: 'partnership', organisationType: 'local_authority' }),
    ],
    followups: [
      { months: 1, isAnswered: true },
      { months: 1, isAnswered: false },
      { months: 3, isAnswered: true },
    ],
    impacts: [
      { uses: ['informed_decision', 'shared'], kinds: ['instrumental', 'conceptual'] },
      { uses: ['not_used'], kinds: [] },
    ],
    // Hours are entered to two decimal places, and shown so (7.25, not 7.3).
    activities: [
      { kind: 'briefing', count: 2, hours: 7.25 },
      { kind: 'training', count: 1, hours: 3 },
    ],
  });

  it('counts needs received and delivered per month, months without any included', () => {
    expect(rowsOf(figures, 'needs-per-month')).toEqual([
      { month: 'Jan 2026', received: 2, delivered: 0 },
      { month: 'Feb 2026', received: 0, delivered: 1 },
      { month: 'Mar 2026', received: 2, delivered: 1 },
    ]);
  });

  it('gives the median and mean days to first response (needs received) and to delivery (needs delivered)', () => {
    expect(rowsOf(figures, 'response-times')).toEqual([
      { measure: 'Time to first response', needs: 3, medianDays: 1, meanDays: 1.3 },
      { measure: 'Time to delivery', needs: 2, medianDays: 75, meanDays: 75 },
    ]);
  });

  it('breaks needs down by theme, partner type and tier', () => {
    expect(rowsOf(figures, 'needs-by-theme')).toEqual([
      { group: 'Falls', received: 2, delivered: 1, medianDaysToDelivery: 30 },
      { group: 'Frailty', received: 1, delivered: 1, medianDaysToDelivery: 30 },
      { group: 'No theme', received: 2, delivered: 1, medianDaysToDelivery: 120 },
    ]);
    expect(rowsOf(figures, 'needs-by-partner-type')).toEqual([
      { group: 'Local authority', received: 2, delivered: 2, medianDaysToDelivery: 75 },
      { group: 'Voluntary, community or social enterprise (VCSE) organisation', received: 1, delivered: 0, medianDaysToDelivery: null },
      { group: 'No organisation', received: 1, delivered: 0, medianDaysToDelivery: null },
    ]);
    expect(rowsOf(figures, 'needs-by-tier')).toEqual([
      { group: 'Quick answer (days)', received: 1, delivered: 1, medianDaysToDelivery: 30 },
      { group: 'Rapid review (weeks)', received: 1, delivered: 0, medianDaysToDelivery: null },
      { group: 'Partnership or project (months)', received: 0, delivered: 1, medianDaysToDelivery: 120 },
      { group: 'Not triaged yet', received: 2, delivered: 0, medianDaysToDelivery: null },
    ]);
  });

  it('gives the follow-up response rate, reported uses, kinds and activity hours', () => {
    expect(rowsOf(figures, 'followup-responses')).toEqual([
      { after: '1 month', sent: 2, answered: 1, responseRate: 50 },
      { after: '3 months', sent: 1, answered: 1, responseRate: 100 },
      { after: 'All follow-ups', sent: 3, answered: 2, responseRate: 66.7 },
    ]);
    expect(rowsOf(figures, 'reported-uses')).toEqual([
      { use: 'It informed a decision', records: 1 },
      { use: 'It changed a service or how we work', records: 0 },
      { use: 'We shared it with others', records: 1 },
      { use: 'We have not used it', records: 1 },
    ]);
    expect(rowsOf(figures, 'impact-kinds')?.map((row) => row.records)).toEqual([1, 1, 0, 0]);
    expect(rowsOf(figures, 'activity-hours')?.filter((row) => row.activities !== 0)).toEqual([
      { kind: 'Briefing', activities: 2, hours: 7.25 },
      { kind: 'Training and capacity building', activities: 1, hours: 3 },
    ]);
  });

  it('sums it up in headline figures and describes each figure in words', () => {
    expect(rowsOf(figures, 'headline')?.map((row) => [row.measure, row.value])).toEqual([
      ['Needs received', 4],
      ['Needs delivered', 2],
      ['Median days to first response', 1],
      ['Median days to delivery', 75],
      ['Follow-ups sent', 3],
      ['Follow-ups answered', 2],
      ['Follow-up response rate (%)', 66.7],
      ['Impact records', 2],
      ['Activity hours', 10.25],
    ]);
    const perMonth = figures.find((figure) => figure.id === 'needs-per-month');
    expect(perMonth?.description).toBe('Needs received and delivered each month from Jan 2026 to Mar 2026: 4 received and 2 delivered in all. The most were received in Jan 2026 (2).');
    expect(figures.every((figure) => figure.title !== '' && figure.description !== '')).toBe(true);
  });

  it('says when there is nothing to measure', () => {
    const empty = buildFigures(range, { needs: [], followups: [], impacts: [], activities: [] });
    expect(rowsOf(empty, 'response-times')).toEqual([
      { measure: 'Time to first response', needs: 0, medianDays: null, meanDays: null },
      { measure: 'Time to delivery', needs: 0, medianDays: null, meanDays: null },
    ]);
    expect(empty.find((figure) => figure.id === 'followup-responses')?.chart).toBeUndefined();
  });
});
