import type { Role } from '../../core/accounts/roles.js';
import type { NeedStore, NeedPatch } from '../../core/needs/ports.js';
import type { Comment, Need, NeedEvent, NeedEventKind, NeedStatus } from '../../core/needs/types.js';
import type { CommentId, NeedId, OrganisationId, UserId } from '../../core/shared/ids.js';
import type { Sql } from '../../core/shared/sql.js';

interface NeedRow {
  id: string;
  reference: string;
  title: string;
  question: string;
  decision: string;
  decision_maker: string;
  population: string;
  setting: string;
  tried_so_far: string;
  deadline_on: string | null;
  urgency: Need['urgency'];
  audiences: Need['audiences'];
  organisation_id: string | null;
  organisation_name: string | null;
  is_public: boolean;
  share_with_arcs: boolean;
  status: NeedStatus;
  tier: Need['tier'] | null;
  support_kinds: Need['supportKinds'];
  resolution: Need['resolution'] | null;
  decline_reason: string | null;
  merged_into_id: string | null;
  requester_id: string | null;
  requester_name: string | null;
  created_by_id: string;
  created_by_name: string;
  themes: { id: string; name: string }[];
  fellows: { id: string; name: string }[];
  created_at: Date;
  updated_at: Date;
  total?: number;
}

// The CHECK constraints in migrations/0001_init.sql guarantee the enumerated columns' values.
const toNeed = (row: NeedRow): Need => ({
  id: row.id as NeedId,
  reference: row.reference,
  title: row.title,
  question: row.question,
  decision: row.decision,
  decisionMaker: row.decision_maker,
  population: row.population,
  setting: row.setting,
  triedSoFar: row.tried_so_far,
  deadlineOn: row.deadline_on ?? undefined,
  urgency: row.urgency,
  audiences: row.audiences,
  organisationId: (row.organisation_id ?? undefined) as OrganisationId | undefined,
  organisationName: row.organisation_name ?? undefined,
  themes: row.themes.map((theme) => ({ id: theme.id as Need['themes'][number]['id'], name: theme.name })),
  isPublic: row.is_public,
  shareWithArcs: row.share_with_arcs,
  status: row.status,
  tier: row.tier ?? undefined,
  supportKinds: row.support_kinds,
  resolution: row.resolution ?? undefined,
  declineReason: row.decline_reason ?? undefined,
  mergedIntoId: (row.merged_into_id ?? undefined) as NeedId | undefined,
  requester: row.requester_id ? { id: row.requester_id as UserId, name: row.requester_name ?? '' } : undefined,
  createdBy: { id: row.created_by_id as UserId, name: row.created_by_name },
  fellows: row.fellows.map((fellow) => ({ id: fellow.id as UserId, name: fellow.name })),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const needSelect = `
  select n.*, o.name as organisation_name, r.name as requester_name, c.name as created_by_name,
    coalesce((select json_agg(json_build_object('id', t.id, 'name', t.name) order by t.name)
              from need_themes nt join themes t on t.id = nt.theme_id where nt.need_id = n.id), '[]') as themes,
    coalesce((select json_agg(json_build_object('id', u.id, 'name', u.name) order by u.name)
              from need_fellows nf join users u on u.id = nf.user_id where nf.need_id = n.id), '[]') as fellows`;
const needFrom = `
  from needs n
  left join organisations o on o.id = n.organisation_id
  left join users r on r.id = n.requester_id
  join users c on c.id = n.created_by_id`;

interface EventRow {
  id: string;
  need_id: string;
  kind: NeedEventKind;
  actor_id: string;
  actor_name: string;
  from_status: NeedStatus | null;
  to_status: NeedStatus | null;
  detail: Record<string, unknown>;
  created_at: Date;
}

const toEvent = (row: EventRow): NeedEvent => ({
  id: row.id,
  needId: row.need_id as NeedId,
  kind: row.kind,
  actor: { id: row.actor_id as UserId, name: row.actor_name },
  fromStatus: row.from_status ?? undefined,
  toStatus: row.to_status ?? undefined,
  detail: row.detail,
  at: row.created_at,
});

interface CommentRow {
  id: string;
  need_id: string;
  author_id: string;
  author_name: string;
  author_role: Role;
  body: string;
  is_internal: boolean;
  created_at: Date;
}

const toComment = (row: CommentRow): Comment => ({
  id: row.id as CommentId,
  needId: row.need_id as NeedId,
  author: { id: row.author_id as UserId, name: row.author_name, role: row.author_role },
  body: row.body,
  isInternal: row.is_internal,
  createdAt: row.created_at,
});

/** Maps the core's patch keys to columns; only these columns can be patched. */
const patchColumns: Record<keyof NeedPatch, string> = {
  status: 'status',
  tier: 'tier',
  supportKinds: 'support_kinds',
  resolution: 'resolution',
  declineReason: 'decline_reason',
  mergedIntoId: 'merged_into_id',
};

const replaceThemes = async (sql: Sql, needId: string, themeIds: readonly string[]): Promise<void> => {
  await sql.query('delete from need_themes where need_id = $1', [needId]);
  if (themeIds.length > 0) {
    await sql.query('insert into need_themes (need_id, theme_id) select $1, unnest($2::uuid[])', [needId, themeIds]);
  }
};

/** Needs and their history, fellows and dialogue in PostgreSQL. */
export const createNeedsRepo = (sql: Sql): NeedStore => ({
  transaction: (work) => sql.transaction((tx) => work(createNeedsRepo(tx))),

  async findNeed(id) {
    const [row] = await sql.query<NeedRow>(`${needSelect} ${needFrom} where n.id = $1`, [id]);
    return row ? toNeed(row) : undefined;
  },

  async listNeeds(visibility, filter, actorId) {
    const isAll = visibility.kind === 'all';
    const organisationId = visibility.kind === 'limited' ? (visibility.organisationId ?? null) : null;
    // Visibility and filters run inside the query so that counts and pages are right (DESIGN.md).
    const rows = await sql.query<NeedRow>(
      `${needSelect}, count(*) over ()::int as total ${needFrom}
       where ($1::boolean or n.is_public or n.requester_id = $2 or n.created_by_id = $2 or n.organisation_id = $3)
         and ($4::text is null or n.status = $4)
         and ($5::text is null or n.urgency = $5)
         and ($6::uuid is null or exists (select 1 from need_themes f where f.need_id = n.id and f.theme_id = $6))
         and ($7::uuid is null or n.organisation_id = $7)
         and (not $8::boolean or n.requester_id = $2 or n.created_by_id = $2
              or exists (select 1 from need_fellows a where a.need_id = n.id and a.user_id = $2))
       order by n.deadline_on asc nulls last,
                case n.urgency when 'urgent' then 0 when 'soon' then 1 else 2 end,
                n.created_at asc
       limit $9 offset $10`,
      [
        isAll,
        actorId,
        organisationId,
        filter.status ?? null,
        filter.urgency ?? null,
        filter.themeId ?? null,
        filter.organisationId ?? null,
        filter.mine ?? false,
        filter.limit,
        filter.offset,
      ],
    );
    return { needs: rows.map(toNeed), total: rows[0]?.total ?? 0 };
  },

  async insertNeed(need) {
    const [row] = await sql.query<{ id: string }>(
      `insert into needs (title, question, decision, decision_maker, population, setting, tried_so_far, deadline_on,
         urgency, audiences, organisation_id, is_public, share_with_arcs, requester_id, created_by_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::text[], $11, $12, $13, $14, $15) returning id`,
      [
        need.title,
        need.question,
        need.decision,
        need.decisionMaker,
        need.population,
        need.setting,
        need.triedSoFar,
        need.deadlineOn ?? null,
        need.urgency,
        need.audiences,
        need.organisationId ?? null,
        need.isPublic,
        need.shareWithArcs,
        need.requesterId ?? null,
        need.createdById,
      ],
    );
    if (!row) {
      throw new Error('insert into needs returned no row');
    }
    await replaceThemes(sql, row.id, need.themeIds);
    return row.id as NeedId;
  },

  async updateNeedFields(id, need) {
    await sql.query(
      `update needs set title = $2, question = $3, decision = $4, decision_maker = $5, population = $6, setting = $7,
         tried_so_far = $8, deadline_on = $9, urgency = $10, audiences = $11::text[], organisation_id = $12,
         is_public = $13, share_with_arcs = $14, updated_at = now()
       where id = $1`,
      [
        id,
        need.title,
        need.question,
        need.decision,
        need.decisionMaker,
        need.population,
        need.setting,
        need.triedSoFar,
        need.deadlineOn ?? null,
        need.urgency,
        need.audiences,
        need.organisationId ?? null,
        need.isPublic,
        need.shareWithArcs,
      ],
    );
    await replaceThemes(sql, id, need.themeIds);
  },

  async patchNeed(id, patch) {
    const entries = (Object.keys(patchColumns) as (keyof NeedPatch)[]).filter((key) => patch[key] !== undefined);
    if (entries.length === 0) {
      return;
    }
    const assignments = entries.map((key, index) => `${patchColumns[key]} = $${index + 2}`);
    await sql.query(`update needs set ${assignments.join(', ')}, updated_at = now() where id = $1`, [id, ...entries.map((key) => patch[key])]);
  },

  async addFellows(id, userIds, assignedBy) {
    if (userIds.length === 0) {
      return [];
    }
    const rows = await sql.query<{ user_id: string }>(
      `insert into need_fellows (need_id, user_id, assigned_by_id) select $1, unnest($2::uuid[]), $3
       on conflict do nothing returning user_id`,
      [id, userIds, assignedBy],
    );
    return rows.map((row) => row.user_id as UserId);
  },

  async appendEvent(event) {
    const [row] = await sql.query<EventRow>(
      `with e as (
         insert into need_events (need_id, kind, actor_id, from_status, to_status, detail)
         values ($1, $2, $3, $4, $5, $6::jsonb) returning *)
       select e.*, u.name as actor_name from e join users u on u.id = e.actor_id`,
      [event.needId, event.kind, event.actorId, event.fromStatus ?? null, event.toStatus ?? null, JSON.stringify(event.detail ?? {})],
    );
    if (!row) {
      throw new Error('insert into need_events returned no row');
    }
    return toEvent(row);
  },

  async listEvents(id) {
    const rows = await sql.query<EventRow>(
      `select e.*, u.name as actor_name from need_events e join users u on u.id = e.actor_id
       where e.need_id = $1 order by e.created_at, e.id`,
      [id],
    );
    return rows.map(toEvent);
  },

  async insertComment(comment) {
    const [row] = await sql.query<CommentRow>(
      `with c as (
         insert into need_comments (need_id, author_id, body, is_internal) values ($1, $2, $3, $4) returning *)
       select c.*, u.name as author_name, u.role as author_role from c join users u on u.id = c.author_id`,
      [comment.needId, comment.authorId, comment.body, comment.isInternal],
    );
    if (!row) {
      throw new Error('insert into need_comments returned no row');
    }
    return toComment(row);
  },

  async listComments(id, includeInternal) {
    const rows = await sql.query<CommentRow>(
      `select c.*, u.name as author_name, u.role as author_role from need_comments c join users u on u.id = c.author_id
       where c.need_id = $1 and ($2::boolean or not c.is_internal) order by c.created_at, c.id`,
      [id, includeInternal],
    );
    return rows.map(toComment);
  },

  async findAccounts(ids) {
    if (ids.length === 0) {
      return [];
    }
    const rows = await sql.query<{ id: string; role: Role; organisation_id: string | null }>(
      'select id, role, organisation_id from users where id = any($1::uuid[])',
      [ids],
    );
    return rows.map((row) => ({
      id: row.id as UserId,
      role: row.role,
      organisationId: (row.organisation_id ?? undefined) as OrganisationId | undefined,
    }));
  },

  async countThemes(ids) {
    if (ids.length === 0) {
      return 0;
    }
    const [row] = await sql.query<{ count: number }>('select count(*)::int as count from themes where id = any($1::uuid[])', [ids]);
    return row?.count ?? 0;
  },

  async organisationExists(id) {
    const rows = await sql.query('select 1 from organisations where id = $1', [id]);
    return rows.length > 0;
  },
});
