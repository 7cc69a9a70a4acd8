import { activityKindLabels, activityKinds } from '../activities/types.js';
import { impactKindLabels, impactKinds, impactUseLabels, impactUses } from '../impact/types.js';
import { serviceTierLabels, serviceTiers } from '../needs/types.js';
import { organisationTypeLabels, organisationTypes } from '../organisations/types.js';
import { monthLabel, monthOf, monthsBetween } from './calendar.js';
import type { ActivityTotal, DashboardRange, FollowupFact, ImpactFact, NeedFact } from './ports.js';
import { mean, median, percent, round1, round2, roundedOrNull } from './stats.js';
import { counted } from '../shared/text.js';

export type FigureValue = string | number | null;

export interface FigureColumn {
  key: string;
  label: string;
  /** Text is a category; numbers are counts, days, hours or percentages. */
  kind: 'text' | 'count' | 'days' | 'hours' | 'percent';
}

/** How to draw a figure: bars of one or more value columns against its category column. */
export interface ChartSpec {
  category: string;
  values: string[];
  /** The value axis' title. */
  axisTitle: string;
  /** Bars run across the page, for long category names. */
  horizontal: boolean;
}

/** One figure of the dashboard: a table of numbers, a description in words, and maybe a chart. */
export interface Figure {
  id: string;
  title: string;
  description: string;
  columns: FigureColumn[];
  rows: Record<string, FigureValue>[];
  chart: ChartSpec | undefined;
}

export interface DashboardFacts {
  needs: NeedFact[];
  followups: FollowupFact[];
  impacts: ImpactFact[];
  activities: ActivityTotal[];
}

const inRange = (on: string | undefined, range: DashboardRange): on is string => on !== undefined && on >= range.from && on <= range.to;

const days = (value: number | null): string => (value === null ? 'not yet measurable' : `${value} day${value === 1 ? '' : 's'}`);

const groupColumns = (label: string): FigureColumn[] => [
  { key: 'group', label, kind: 'text' },
  { key: 'received', label: 'Needs received', kind: 'count' },
  { key: 'delivered', label: 'Needs delivered', kind: 'count' },
  { key: 'medianDaysToDelivery', label: 'Median days to delivery', kind: 'days' },
];

/**
 * Needs received and delivered in the period, grouped; a need in several groups (themes) counts in
 * each. Groups keep the given order, then any others by name, then needs in no group; empty groups
 * are left out.
 */
const grouped = (needs: readonly NeedFact[], range: DashboardRange, groupsOf: (need: NeedFact) => string[], order: readonly string[], none: string) => {
  const groups = new Map<string, { received: number; delivered: number; deliveryDays: number[] }>();
  for (const need of needs) {
    for (const group of groupsOf(need)) {
      const entry = groups.get(group) ?? { received: 0, delivered: 0, deliveryDays: [] };
      if (inRange(need.receivedOn, range)) {
        entry.received += 1;
      }
      if (inRange(need.deliveredOn, range)) {
        entry.delivered += 1;
        if (need.daysToDelivery !== undefined) {
          entry.deliveryDays.push(need.daysToDelivery);
        }
      }
      groups.set(group, entry);
    }
  }
  const rank = (name: string) => (name === none ? order.length + 1 : order.includes(name) ? order.indexOf(name) : order.length);
  return [...groups.entries()]
    .filter(([, entry]) => entry.received > 0 || entry.delivered > 0)
    .sort(([left], [right]) => rank(left) - rank(right) || left.localeCompare(right, 'en-GB'))
    .map(([group, entry]) => ({ group, received: entry.received, delivered: entry.delivered, medianDaysToDelivery: roundedOrNull(median(entry.deliveryDays)) }));
};

const describeGroups = (rows: { group: string; received: number; delivered: number }[], what: string): string => {
  if (rows.length === 0) {
    return `No needs were received or delivered in the period, so there is nothing to show by ${what}.`;
  }
  const top = [...rows].sort((left, right) => right.received - left.received)[0];
  return `Needs received and delivered by ${what}, across ${counted(rows.length, 'group')}. The most needs came from ${top?.group ?? ''} (${top?.received ?? 0} received, ${top?.delivered ?? 0} delivered).`;
};

const groupFigure = (id: string, title: string, what: string, label: string, rows: ReturnType<typeof grouped>): Figure => ({
  id,
  title,
  description: describeGroups(rows, what),
  columns: groupColumns(label),
  rows,
  chart: { category: 'group', values: ['received', 'delivered'], axisTitle: 'Needs', horizontal: true },
});

/** Every figure of the impact dashboard (issue #6, item 7), computed from the period's facts. */
export const buildFigures = (range: DashboardRange, facts: DashboardFacts): Figure[] => {
  const received = facts.needs.filter((need) => inRange(need.receivedOn, range));
  const delivered = facts.needs.filter((need) => inRange(need.deliveredOn, range));
  const responseDays = received.flatMap((need) => (need.daysToFirstResponse === undefined ? [] : [need.daysToFirstResponse]));
  const deliveryDays = delivered.flatMap((need) => (need.daysToDelivery === undefined ? [] : [need.daysToDelivery]));
  const answered = facts.followups.filter((followup) => followup.isAnswered).length;
  const hours = round2(facts.activities.reduce((sum, total) => sum + total.hours, 0));
  const period = `${monthLabel(monthOf(range.from))} to ${monthLabel(monthOf(range.to))}`;

  const months = monthsBetween(range.from, range.to).map((month) => ({
    month: monthLabel(month),
    received: received.filter((need) => monthOf(need.receivedOn) === month).length,
    delivered: delivered.filter((need) => need.deliveredOn !== undefined && monthOf(need.deliveredOn) === month).length,
  }));
  const busiest = [...months].sort((left, right) => right.received - left.received)[0];

  const responseRow = (measure: string, values: number[]) => ({ measure, needs: values.length, medianDays: roundedOrNull(median(values)), meanDays: roundedOrNull(mean(values)) });
  const times = [responseRow('Time to first response', responseDays), responseRow('Time to delivery', deliveryDays)];

  const followupRows = [...new Set(facts.followups.map((followup) => followup.months))]
    .sort((left, right) => left - right)
    .map((after) => {
      const sent = facts.followups.filter((followup) => followup.months === after);
      const yes = sent.filter((followup) => followup.isAnswered).length;
      return { after: counted(after, 'month'), sent: sent.length, answered: yes, responseRate: percent(yes, sent.length) ?? null };
    });
  const allFollowups = { after: 'All follow-ups', sent: facts.followups.length, answered, responseRate: percent(answered, facts.followups.length) ?? null };

  const uses = impactUses.map((use) => ({ use: impactUseLabels[use], records: facts.impacts.filter((impact) => impact.uses.includes(use)).length }));
  const kinds = impactKinds.map((kind) => ({ kind: impactKindLabels[kind], records: facts.impacts.filter((impact) => impact.kinds.includes(kind)).length }));
  const activityRows = activityKinds
    .map((kind) => facts.activities.find((total) => total.kind === kind) ?? { kind, count: 0, hours: 0 })
    .map((total) => ({ kind: activityKindLabels[total.kind], activities: total.count, hours: round2(total.hours) }));
  const busiestKind = [...activityRows].sort((left, right) => right.hours - left.hours)[0];

  const medianResponse = times[0]?.medianDays ?? null;
  const medianDelivery = times[1]?.medianDays ?? null;

  return [
    {
      id: 'headline',
      title: 'Headline figures',
      description: `From ${period}: ${counted(received.length, 'need')} received and ${delivered.length} delivered; median time to first response ${days(medianResponse)}, to delivery ${days(medianDelivery)}; ${answered} of ${counted(facts.followups.length, 'follow-up')} answered.`,
      columns: [
        { key: 'measure', label: 'Measure', kind: 'text' },
        { key: 'value', label: 'Value', kind: 'count' },
      ],
      rows: [
        { measure: 'Needs received', value: received.length },
        { measure: 'Needs delivered', value: delivered.length },
        { measure: 'Median days to first response', value: medianResponse },
        { measure: 'Median days to delivery', value: medianDelivery },
        { measure: 'Follow-ups sent', value: facts.followups.length },
        { measure: 'Follow-ups answered', value: answered },
        { measure: 'Follow-up response rate (%)', value: allFollowups.responseRate },
        { measure: 'Impact records', value: facts.impacts.length },
        { measure: 'Activity hours', value: hours },
      ],
      chart: undefined,
    },
    {
      id: 'needs-per-month',
      title: 'Needs received and delivered per month',
      description:
        received.length + delivered.length === 0
          ? `No needs were received or delivered from ${period}.`
          : `Needs received and delivered each month from ${period}: ${received.length} received and ${delivered.length} delivered in all. The most were received in ${busiest?.month ?? ''} (${busiest?.received ?? 0}).`,
      columns: [
        { key: 'month', label: 'Month', kind: 'text' },
        { key: 'received', label: 'Received', kind: 'count' },
        { key: 'delivered', label: 'Delivered', kind: 'count' },
      ],
      rows: months,
      chart: { category: 'month', values: ['received', 'delivered'], axisTitle: 'Needs', horizontal: false },
    },
    {
      id: 'response-times',
      title: 'Time to first response and to delivery',
      description: `Days from a need being posted to the first reply or triage decision by a fellow (${counted(responseDays.length, 'need')} received in the period): median ${days(medianResponse)}, mean ${days(times[0]?.meanDays ?? null)}. To delivery (${counted(deliveryDays.length, 'need')} delivered in the period): median ${days(medianDelivery)}, mean ${days(times[1]?.meanDays ?? null)}.`,
      columns: [
        { key: 'measure', label: 'Measure', kind: 'text' },
        { key: 'needs', label: 'Needs measured', kind: 'count' },
        { key: 'medianDays', label: 'Median days', kind: 'days' },
        { key: 'meanDays', label: 'Mean days', kind: 'days' },
      ],
      rows: times,
      chart: { category: 'measure', values: ['medianDays', 'meanDays'], axisTitle: 'Days', horizontal: true },
    },
    groupFigure(
      'needs-by-theme',
      'Needs by theme',
      'research theme',
      'Theme',
      grouped(facts.needs, range, (need) => (need.themes.length > 0 ? need.themes : ['No theme']), [], 'No theme'),
    ),
    groupFigure(
      'needs-by-partner-type',
      'Needs by partner organisation type',
      'type of partner organisation',
      'Partner organisation type',
      grouped(facts.needs, range, (need) => [need.organisationType ? organisationTypeLabels[need.organisationType] : 'No organisation'], organisationTypes.map((type) => organisationTypeLabels[type]), 'No organisation'),
    ),
    groupFigure(
      'needs-by-tier',
      'Needs by service tier',
      'service tier',
      'Service tier',
      grouped(facts.needs, range, (need) => [need.tier ? serviceTierLabels[need.tier] : 'Not triaged yet'], serviceTiers.map((tier) => serviceTierLabels[tier]), 'Not triaged yet'),
    ),
    {
      id: 'followup-responses',
      title: 'Follow-up response rate',
      description:
        facts.followups.length === 0
          ? 'No follow-ups were sent in the period.'
          : `${answered} of ${counted(facts.followups.length, 'follow-up')} sent in the period have been answered (${allFollowups.responseRate ?? 0}%).`,
      columns: [
        { key: 'after', label: 'Months after delivery', kind: 'text' },
        { key: 'sent', label: 'Sent', kind: 'count' },
        { key: 'answered', label: 'Answered', kind: 'count' },
        { key: 'responseRate', label: 'Response rate (%)', kind: 'percent' },
      ],
      rows: [...followupRows, allFollowups],
      chart: followupRows.length > 0 ? { category: 'after', values: ['sent', 'answered'], axisTitle: 'Follow-ups', horizontal: false } : undefined,
    },
    {
      id: 'reported-uses',
      title: 'Reported uses',
      description:
        facts.impacts.length === 0
          ? 'No impact was recorded in the period.'
          : `How ${counted(facts.impacts.length, 'impact record')} of the period say outputs were used: ${uses.map((use) => `${use.use.toLowerCase()} ${use.records}`).join('; ')}. A record can report several uses.`,
      columns: [
        { key: 'use', label: 'Use', kind: 'text' },
        { key: 'records', label: 'Impact records', kind: 'count' },
      ],
      rows: uses,
      chart: { category: 'use', values: ['records'], axisTitle: 'Impact records', horizontal: true },
    },
    {
      id: 'impact-kinds',
      title: 'Kinds of impact',
      description:
        facts.impacts.length === 0
          ? 'No impact was recorded in the period.'
          : `Kinds of impact in ${counted(facts.impacts.length, 'impact record')}: ${kinds.map((kind) => `${kind.kind.toLowerCase()} ${kind.records}`).join('; ')}. A record can show several kinds.`,
      columns: [
        { key: 'kind', label: 'Kind of impact', kind: 'text' },
        { key: 'records', label: 'Impact records', kind: 'count' },
      ],
      rows: kinds,
      chart: { category: 'kind', values: ['records'], axisTitle: 'Impact records', horizontal: true },
    },
    {
      id: 'activity-hours',
      title: 'Activity hours by kind',
      description:
        hours === 0
          ? `No activity hours were logged from ${period}.`
          : `${hours} hours of activity logged from ${period}; the most on ${busiestKind?.kind.toLowerCase() ?? ''} (${busiestKind?.hours ?? 0} hours).`,
      columns: [
        { key: 'kind', label: 'Kind of activity', kind: 'text' },
        { key: 'activities', label: 'Activities', kind: 'count' },
        { key: 'hours', label: 'Hours', kind: 'hours' },
      ],
      rows: activityRows,
      chart: { category: 'kind', values: ['hours'], axisTitle: 'Hours', horizontal: true },
    },
  ];
};
