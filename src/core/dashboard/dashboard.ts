import { z } from 'zod';
import { isStaff, type Actor } from '../accounts/roles.js';
import type { Clock } from '../shared/clock.js';
import { assertThat } from '../shared/errors.js';
import { addMonths, londonDate, monthOf, monthsBetween } from './calendar.js';
import { buildFigures, type Figure } from './figures.js';
import type { DashboardRange, DashboardStore } from './ports.js';

/** Ten years of months at most: the monthly figure stays readable. */
export const MAX_DASHBOARD_MONTHS = 120;

export const dashboardRangeSchema = z
  .object({ from: z.iso.date({ error: 'Enter a real date' }), to: z.iso.date({ error: 'Enter a real date' }) })
  .refine((range) => range.from <= range.to, { path: ['to'], message: 'The end must be on or after the start' })
  .refine((range) => range.from > range.to || monthsBetween(range.from, range.to).length <= MAX_DASHBOARD_MONTHS, {
    path: ['from'],
    message: `Choose a period of at most ${MAX_DASHBOARD_MONTHS / 12} years`,
  });

/** The last twelve months, this one included. */
export const defaultRange = (today: string): DashboardRange => ({ from: `${monthOf(addMonths(today, -11))}-01`, to: today });

/** Who reads the dashboard: staff. Leads and administrators see it in the menu; fellows reach it from the impact page. */
export const canViewDashboard = (actor: Actor): boolean => isStaff(actor.role);

/** The impact dashboard (issue #6, item 7). */
export const createDashboard = ({ store, clock }: { store: DashboardStore; clock: Clock }) => {
  const view = async (actor: Actor, range?: DashboardRange): Promise<{ range: DashboardRange; figures: Figure[] }> => {
    assertThat(canViewDashboard(actor), 'auth.forbidden', 'The dashboard is for fellows, leads and administrators');
    const period = range ?? defaultRange(londonDate(clock.now()));
    const [needs, followups, impacts, activities] = await Promise.all([
      store.needFacts(period),
      store.followupFacts(period),
      store.impactFacts(period),
      store.activityTotals(period),
    ]);
    return { range: period, figures: buildFigures(period, { needs, followups, impacts, activities }) };
  };
  return { view, defaultRange: () => defaultRange(londonDate(clock.now())) };
};

export type Dashboard = ReturnType<typeof createDashboard>;
