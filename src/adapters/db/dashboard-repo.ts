import type { ActivityKind } from '../../core/activities/types.js';
import type { ActivityTotal, DashboardRange, DashboardStore, FollowupFact, ImpactFact, NeedFact } from '../../core/dashboard/ports.js';
import type { ImpactKind, ImpactUse } from '../../core/impact/types.js';
import type { ServiceTier } from '../../core/needs/types.js';
import type { OrganisationType } from '../../core/organisations/types.js';
import type { Sql } from '../../core/shared/sql.js';

/** The period's first and last instants: London midnight at the start of `from` and after `to`. */
const bounds = `bounds as (
  select ($1::date::timestamp at time zone 'Europe/London') as start_at,
         (($2::date + 1)::timestamp at time zone 'Europe/London') as end_at)`;

interface NeedFactRow {
  received_on: string;
  delivered_on: string | null;
  days_to_first_response: number | null;
  days_to_delivery: number | null;
  themes: string[];
  organisation_type: OrganisationType | null;
  tier: ServiceTier | null;
}

/** The facts behind the impact dashboard, read in SQL; the figures are computed in core/dashboard. */
export const createDashboardRepo = (sql: Sql): DashboardStore => ({
  async needFacts(range: DashboardRange): Promise<NeedFact[]> {
    // Delivered: the first time the need was marked delivered. First response: a fellow's first reply
    // in the dialogue (internal notes are not replies) or their triage decision, whichever came first.
    const rows = await sql.query<NeedFactRow>(
      `with ${bounds},
       delivered as (select need_id, min(created_at) as at from need_events where to_status = 'delivered' group by need_id),
       responded as (
         select need_id, min(at) as at from (
           select c.need_id, c.created_at as at from need_comments c join users u on u.id = c.author_id
           where not c.is_internal and u.role in ('fellow', 'lead', 'admin')
           union all
           select e.need_id, e.created_at from need_events e where e.kind in ('triaged', 'declined', 'merged') and e.to_status is not null
         ) as firsts group by need_id)
       select (n.created_at at time zone 'Europe/London')::date as received_on,
              (d.at at time zone 'Europe/London')::date as delivered_on,
              extract(epoch from (r.at - n.created_at)) / 86400 as days_to_first_response,
              extract(epoch from (d.at - n.created_at)) / 86400 as days_to_delivery,
              coalesce((select array_agg(t.name order by t.name) from need_themes nt join themes t on t.id = nt.theme_id where nt.need_id = n.id), '{}') as themes,
              o.type as organisation_type, n.tier
       from needs n cross join bounds b
       left join delivered d on d.need_id = n.id
       left join responded r on r.need_id = n.id
       left join organisations o on o.id = n.organisation_id
       where (n.created_at >= b.start_at and n.created_at < b.end_at) or (d.at >= b.start_at and d.at < b.end_at)`,
      [range.from, range.to],
    );
    return rows.map((row) => ({
      receivedOn: row.received_on,
      deliveredOn: row.delivered_on ?? undefined,
      daysToFirstResponse: row.days_to_first_response ?? undefined,
      daysToDelivery: row.days_to_delivery ?? undefined,
      themes: row.themes,
      organisationType: row.organisation_type ?? undefined,
      tier: row.tier ?? undefined,
    }));
  },

  async followupFacts(range): Promise<FollowupFact[]> {
    const rows = await sql.query<{ months: number; is_answered: boolean }>(
      `with ${bounds}
       select f.months, f.answered_at is not null as is_answered from followups f cross join bounds b
       where f.sent_at >= b.start_at and f.sent_at < b.end_at`,
      [range.from, range.to],
    );
    return rows.map((row) => ({ months: row.months, isAnswered: row.is_answered }));
  },

  async impactFacts(range): Promise<ImpactFact[]> {
    const rows = await sql.query<{ uses: ImpactUse[]; kinds: ImpactKind[] }>(
      `with ${bounds}
       select i.uses, i.kinds from impact_records i cross join bounds b
       where i.created_at >= b.start_at and i.created_at < b.end_at`,
      [range.from, range.to],
    );
    return rows.map((row) => ({ uses: row.uses, kinds: row.kinds }));
  },

  async activityTotals(range): Promise<ActivityTotal[]> {
    const rows = await sql.query<{ kind: ActivityKind; count: number; hours: number }>(
      `select kind, count(*) as count, coalesce(sum(hours), 0) as hours from activities
       where occurred_on >= $1::date and occurred_on <= $2::date group by kind`,
      [range.from, range.to],
    );
    return rows.map((row) => ({ kind: row.kind, count: row.count, hours: row.hours }));
  },
});
