import type { ActivityStore, NewActivity } from '../../core/activities/ports.js';
import type { Activity, ActivityId, ActivityKind } from '../../core/activities/types.js';
import type { BriefingId } from '../../core/briefings/types.js';
import type { NeedId, OrganisationId, ThemeId, UserId } from '../../core/shared/ids.js';
import type { Sql } from '../../core/shared/sql.js';

interface ActivityRow {
  id: string;
  kind: ActivityKind;
  title: string;
  occurred_on: string;
  hours: number;
  organisation_id: string | null;
  organisation_name: string | null;
  theme_id: string | null;
  theme_name: string | null;
  need_id: string | null;
  need_reference: string | null;
  need_title: string | null;
  briefing_id: string | null;
  briefing_reference: string | null;
  briefing_title: string | null;
  fellow_id: string;
  fellow_name: string;
  notes: string;
  is_automatic: boolean;
  created_at: Date;
  total?: number;
  total_hours?: number;
}

// The CHECK constraint of migrations/0011_briefings.sql guarantees the kind's values.
const toActivity = (row: ActivityRow): Activity => ({
  id: row.id as ActivityId,
  kind: row.kind,
  title: row.title,
  occurredOn: row.occurred_on,
  hours: row.hours,
  organisation: row.organisation_id ? { id: row.organisation_id as OrganisationId, name: row.organisation_name ?? '' } : undefined,
  theme: row.theme_id ? { id: row.theme_id as ThemeId, name: row.theme_name ?? '' } : undefined,
  need: row.need_id ? { id: row.need_id as NeedId, reference: row.need_reference ?? '', title: row.need_title ?? '' } : undefined,
  briefing: row.briefing_id ? { id: row.briefing_id as BriefingId, reference: row.briefing_reference ?? '', title: row.briefing_title ?? '' } : undefined,
  fellow: { id: row.fellow_id as UserId, name: row.fellow_name },
  notes: row.notes,
  isAutomatic: row.is_automatic,
  createdAt: row.created_at,
});

const activitySelect = `
  select a.id, a.kind, a.title, a.occurred_on, a.hours, a.organisation_id, o.name as organisation_name,
    a.theme_id, t.name as theme_name, a.need_id, n.reference as need_reference, n.title as need_title,
    a.briefing_id, b.reference as briefing_reference, b.title as briefing_title,
    a.fellow_id, u.name as fellow_name, a.notes, a.is_automatic, a.created_at`;
const activityFrom = `
  from activities a
  join users u on u.id = a.fellow_id
  left join organisations o on o.id = a.organisation_id
  left join themes t on t.id = a.theme_id
  left join needs n on n.id = a.need_id
  left join briefings b on b.id = a.briefing_id`;

const values = (activity: NewActivity) => [
  activity.kind,
  activity.title,
  activity.occurredOn,
  activity.hours,
  activity.organisationId ?? null,
  activity.themeId ?? null,
  activity.needId ?? null,
  activity.briefingId ?? null,
  activity.fellowId,
  activity.notes,
];

/** Activities of fellows, in PostgreSQL. */
export const createActivitiesRepo = (sql: Sql): ActivityStore => ({
  async insert(activity) {
    const [row] = await sql.query<{ id: string }>(
      `insert into activities (kind, title, occurred_on, hours, organisation_id, theme_id, need_id, briefing_id, fellow_id, notes)
       values ($1, $2, $3::date, $4, $5, $6, $7, $8, $9, $10) returning id`,
      values(activity),
    );
    return (row?.id ?? '') as ActivityId;
  },

  async insertAutomatic(activity) {
    // Partner and theme default to the need's: its organisation and its first theme by name.
    const [row] = await sql.query<{ id: string }>(
      `insert into activities (kind, title, occurred_on, hours, organisation_id, theme_id, need_id, briefing_id, fellow_id, notes, is_automatic)
       select $1, $2, $3::date, $4, coalesce($5::uuid, n.organisation_id),
         coalesce($6::uuid, (select nt.theme_id from need_themes nt join themes t on t.id = nt.theme_id where nt.need_id = n.id order by t.name limit 1)),
         $7::uuid, $8::uuid, $9::uuid, $10, true
       from (select 1) as one left join needs n on n.id = $7::uuid
       where not exists (
         select 1 from activities a
         where a.is_automatic and a.fellow_id = $9::uuid and a.kind = $1 and a.title = $2
           and a.need_id is not distinct from $7::uuid and a.briefing_id is not distinct from $8::uuid)
       returning id`,
      values(activity),
    );
    return row ? (row.id as ActivityId) : undefined;
  },

  async find(id) {
    const [row] = await sql.query<ActivityRow>(`${activitySelect} ${activityFrom} where a.id = $1`, [id]);
    return row ? toActivity(row) : undefined;
  },

  async list(filter) {
    const rows = await sql.query<ActivityRow>(
      `${activitySelect}, count(*) over () as total, coalesce(sum(a.hours) over (), 0) as total_hours ${activityFrom}
       where ($1::text is null or a.kind = $1::text)
         and ($2::uuid is null or a.fellow_id = $2::uuid)
         and ($3::uuid is null or a.organisation_id = $3::uuid)
         and ($4::uuid is null or a.theme_id = $4::uuid)
         and ($5::uuid is null or a.need_id = $5::uuid)
         and ($6::date is null or a.occurred_on >= $6::date)
         and ($7::date is null or a.occurred_on <= $7::date)
       order by a.occurred_on desc, a.created_at desc, a.id
       limit $8 offset $9`,
      [
        filter.kind ?? null,
        filter.fellowId ?? null,
        filter.organisationId ?? null,
        filter.themeId ?? null,
        filter.needId ?? null,
        filter.from ?? null,
        filter.to ?? null,
        filter.limit,
        filter.offset,
      ],
    );
    return { activities: rows.map(toActivity), total: rows[0]?.total ?? 0, hours: rows[0]?.total_hours ?? 0 };
  },

  async references(refs) {
    const [row] = await sql.query<{ organisation: boolean; theme: boolean; need: boolean }>(
      `select exists (select 1 from organisations where id = $1::uuid) as organisation,
              exists (select 1 from themes where id = $2::uuid) as theme,
              exists (select 1 from needs where id = $3::uuid) as need`,
      [refs.organisationId ?? null, refs.themeId ?? null, refs.needId ?? null],
    );
    return { organisation: row?.organisation ?? false, theme: row?.theme ?? false, need: row?.need ?? false };
  },
});
