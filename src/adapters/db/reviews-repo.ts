import type { ReviewStore, ReviewSummary } from '../../core/reviews/ports.js';
import type {
  Decision,
  ExtractionField,
  ExtractionFieldId,
  ExtractionValue,
  Framework,
  MemberRole,
  ModelName,
  Protocol,
  Resolution,
  Review,
  ReviewAddition,
  ReviewId,
  ReviewStatus,
  ScreeningDecision,
  ScreeningSettings,
  Stage,
} from '../../core/reviews/types.js';
import type { ImportBatchId, LibraryId, NeedId, RecordId, UserId } from '../../core/shared/ids.js';
import type { Sql } from '../../core/shared/sql.js';

interface ReviewRow {
  id: string;
  reference: string;
  title: string;
  need_id: string | null;
  library_id: string;
  status: ReviewStatus;
  question: string;
  framework: Framework;
  framework_fields: Record<string, string>;
  inclusion_criteria: string;
  exclusion_criteria: string;
  exclusion_reasons: string[];
  include_keywords: string[];
  exclude_keywords: string[];
  is_dual: boolean;
  is_blind: boolean;
  model: ModelName;
  random_share: number;
  prisma_labels: Record<string, string>;
  members: { user_id: string; name: string; role: MemberRole }[];
  created_at: Date;
  updated_at: Date;
}

interface DecisionRow {
  id: number;
  record_id: string;
  stage: Stage;
  screener_id: string;
  screener_name: string;
  decision: Decision;
  reason: string | null;
  model_version: string | null;
  rank_position: number | null;
  is_current: boolean;
  decided_at: Date;
}

const toReview = (row: ReviewRow): Review => ({
  id: row.id as ReviewId,
  reference: row.reference,
  title: row.title,
  needId: (row.need_id ?? undefined) as NeedId | undefined,
  libraryId: row.library_id as LibraryId,
  status: row.status,
  question: row.question,
  framework: row.framework,
  frameworkFields: row.framework_fields,
  inclusionCriteria: row.inclusion_criteria,
  exclusionCriteria: row.exclusion_criteria,
  exclusionReasons: row.exclusion_reasons,
  includeKeywords: row.include_keywords,
  excludeKeywords: row.exclude_keywords,
  isDual: row.is_dual,
  isBlind: row.is_blind,
  model: row.model,
  // real (float4) comes back with float noise: 0.1 reads as 0.10000000149011612.
  randomShare: Math.round(row.random_share * 1000) / 1000,
  prismaLabels: row.prisma_labels,
  members: row.members.map((member) => ({ userId: member.user_id as UserId, name: member.name, role: member.role })),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const toDecision = (row: DecisionRow): ScreeningDecision => ({
  id: Number(row.id),
  recordId: row.record_id as RecordId,
  stage: row.stage,
  screenerId: row.screener_id as UserId,
  screenerName: row.screener_name,
  decision: row.decision,
  reason: row.reason ?? undefined,
  modelVersion: row.model_version ?? undefined,
  rankPosition: row.rank_position ?? undefined,
  isCurrent: row.is_current,
  decidedAt: row.decided_at,
});

const reviewColumns = `r.id, r.reference, r.title, r.need_id, r.library_id, r.status, r.question, r.framework, r.framework_fields,
  r.inclusion_criteria, r.exclusion_criteria, r.exclusion_reasons, r.include_keywords, r.exclude_keywords, r.is_dual, r.is_blind,
  r.model, r.random_share, r.prisma_labels, r.created_at, r.updated_at,
  coalesce((select json_agg(json_build_object('user_id', m.user_id, 'name', u.name, 'role', m.role) order by m.role, u.name)
            from review_members m join users u on u.id = m.user_id where m.review_id = r.id), '[]'::json) as members`;

const decisionSelect = `select d.id, d.record_id, d.stage, d.screener_id, u.name as screener_name, d.decision, d.reason, d.model_version,
  d.rank_position, d.is_current, d.decided_at from screening_decisions d join users u on u.id = d.screener_id`;

/** The protocol and screening settings as query parameters, in the column order both writes use. */
const protocolParams = (protocol: Protocol, settings: ScreeningSettings): unknown[] => [
  protocol.question,
  protocol.framework,
  JSON.stringify(protocol.frameworkFields),
  protocol.inclusionCriteria,
  protocol.exclusionCriteria,
  protocol.exclusionReasons,
  protocol.includeKeywords,
  protocol.excludeKeywords,
  settings.isDual,
  settings.isBlind,
  settings.model,
  settings.randomShare,
];

/** The order records came in: import after import, each in file order (`first_line`, migration 0019). */
const fileOrder = `r.created_at, r.first_line, r.id`;

/**
 * Locks the review (one save or check of extraction answers at a time) and, with `guard`, reads the
 * record's saved answers in the same transaction: false if the guard does not accept them.
 */
const lockAndGuardAnswers = async (
  tx: Sql,
  reviewId: ReviewId,
  recordId: RecordId,
  guard: { isUnchanged: (saved: ReadonlyMap<string, ExtractionValue>) => boolean } | undefined,
): Promise<boolean> => {
  await tx.query('select id from reviews where id = $1 for update', [reviewId]);
  if (!guard) {
    return true;
  }
  const rows = await tx.query<{ field_id: string; value: ExtractionValue }>('select field_id, value from extraction_values where review_id = $1 and record_id = $2', [reviewId, recordId]);
  return guard.isUnchanged(new Map(rows.map((row) => [row.field_id, row.value])));
};

/** Reviews in PostgreSQL: each with its own library, an append-only decision log and the team's extraction form. */
export const createReviewsRepo = (sql: Sql): ReviewStore => ({
  async createReview({ title, needId, protocol, settings, createdBy }) {
    return sql.transaction(async (tx) => {
      const [library] = await tx.query<{ id: string }>("insert into libraries (name, kind) values ($1, 'review') returning id", [`Review: ${title}`]);
      const [review] = await tx.query<{ id: string }>(
        `insert into reviews (title, need_id, library_id, question, framework, framework_fields, inclusion_criteria, exclusion_criteria,
           exclusion_reasons, include_keywords, exclude_keywords, is_dual, is_blind, model, random_share, created_by_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) returning id`,
        [
          title,
          needId ?? null,
          library?.id,
          ...protocolParams(protocol, settings),
          createdBy,
        ],
      );
      if (!review) {
        throw new Error('insert into reviews returned no row');
      }
      await tx.query("insert into review_members (review_id, user_id, role) values ($1, $2, 'lead')", [review.id, createdBy]);
      return review.id as ReviewId;
    });
  },

  async findReview(id) {
    const [row] = await sql.query<ReviewRow>(`select ${reviewColumns} from reviews r where r.id = $1`, [id]);
    return row ? toReview(row) : undefined;
  },

  async listReviews({ memberId, needId }) {
    const rows = await sql.query<{ id: string; reference: string; title: string; status: ReviewStatus; need_id: string | null; records: number; updated_at: Date }>(
      `select r.id, r.reference, r.title, r.status, r.need_id, r.updated_at,
         (select count(*)::int from evidence_records e where e.library_id = r.library_id and e.merged_into_id is null) as records
       from reviews r
       where ($1::uuid is null or exists (select 1 from review_members m where m.review_id = r.id and m.user_id = $1))
         and ($2::uuid is null or r.need_id = $2)
       order by r.updated_at desc`,
      [memberId ?? null, needId ?? null],
    );
    return rows.map(
      (row): ReviewSummary => ({
        id: row.id as ReviewId,
        reference: row.reference,
        title: row.title,
        status: row.status,
        needId: (row.need_id ?? undefined) as NeedId | undefined,
        records: row.records,
        updatedAt: row.updated_at,
      }),
    );
  },

  async updateReview(id, { title, protocol, settings }) {
    await sql.query(
      `update reviews set title = $2, question = $3, framework = $4, framework_fields = $5, inclusion_criteria = $6, exclusion_criteria = $7,
         exclusion_reasons = $8, include_keywords = $9, exclude_keywords = $10, is_dual = $11, is_blind = $12, model = $13, random_share = $14,
         updated_at = now()
       where id = $1`,
      [
        id,
        title,
        ...protocolParams(protocol, settings),
      ],
    );
  },

  async setStatus(id, status) {
    await sql.query('update reviews set status = $2, updated_at = now() where id = $1', [id, status]);
  },

  async setMembers(id, members) {
    await sql.transaction(async (tx) => {
      await tx.query('delete from review_members where review_id = $1', [id]);
      await tx.query(
        `insert into review_members (review_id, user_id, role)
         select $1, m.user_id, m.role from jsonb_to_recordset($2::jsonb) as m(user_id uuid, role text)`,
        [id, JSON.stringify(members.map((member) => ({ user_id: member.userId, role: member.role })))],
      );
      await tx.query('update reviews set updated_at = now() where id = $1', [id]);
    });
  },

  async listEligibleMembers() {
    const rows = await sql.query<{ id: string; name: string; role: string }>(
      "select id, name, role from users where role in ('fellow', 'lead', 'admin', 'researcher', 'contributor') order by name",
    );
    return rows.map((row) => ({ id: row.id as UserId, name: row.name, role: row.role }));
  },

  async setPrismaLabels(id, labels) {
    await sql.query('update reviews set prisma_labels = $2, updated_at = now() where id = $1', [id, JSON.stringify(labels)]);
  },

  async listRecordIds(libraryId) {
    const rows = await sql.query<{ id: string }>(`select r.id from evidence_records r where r.library_id = $1 and r.merged_into_id is null order by ${fileOrder}`, [libraryId]);
    return rows.map((row) => row.id as RecordId);
  },

  async listTexts(libraryId) {
    const rows = await sql.query<{ id: string; title: string; abstract: string | null }>(
      `select r.id, r.title, r.abstract from evidence_records r where r.library_id = $1 and r.merged_into_id is null order by ${fileOrder}`,
      [libraryId],
    );
    return rows.map((row) => ({ id: row.id as RecordId, title: row.title, abstract: row.abstract ?? '' }));
  },

  async listDecisions(reviewId, options = {}) {
    const rows = await sql.query<DecisionRow>(`${decisionSelect} where d.review_id = $1 and ($2 or d.is_current) order by d.id`, [reviewId, options.includeRetired === true]);
    return rows.map(toDecision);
  },

  async countDecisions(reviewId) {
    const [row] = await sql.query<{ count: number }>('select count(*)::int as count from screening_decisions where review_id = $1 and is_current', [reviewId]);
    return row?.count ?? 0;
  },

  async listResolutions(reviewId) {
    const rows = await sql.query<{ record_id: string; stage: Stage; decision: Resolution['decision']; reason: string | null; resolved_by_id: string; name: string; resolved_at: Date }>(
      `select s.record_id, s.stage, s.decision, s.reason, s.resolved_by_id, u.name, s.resolved_at
       from screening_resolutions s join users u on u.id = s.resolved_by_id where s.review_id = $1 order by s.resolved_at`,
      [reviewId],
    );
    return rows.map((row) => ({
      recordId: row.record_id as RecordId,
      stage: row.stage,
      decision: row.decision,
      reason: row.reason ?? undefined,
      resolvedBy: row.resolved_by_id as UserId,
      resolvedByName: row.name,
      resolvedAt: row.resolved_at,
    }));
  },

  async recordDecision(input, guard) {
    return sql.transaction(async (tx) => {
      // One decision at a time per review: the check below and the insert must not interleave with another's.
      await tx.query('select id from reviews where id = $1 for update', [input.reviewId]);
      const current = await tx.query<{ screener_id: string }>(
        'select screener_id from screening_decisions where review_id = $1 and record_id = $2 and stage = $3 and is_current',
        [input.reviewId, input.recordId, input.stage],
      );
      const isOwn = current.some((row) => row.screener_id === input.screenerId);
      if (!isOwn) {
        const [resolved] = await tx.query<{ n: number }>('select count(*)::int as n from screening_resolutions where review_id = $1 and record_id = $2 and stage = $3', [
          input.reviewId,
          input.recordId,
          input.stage,
        ]);
        if (current.length >= guard.decisionsNeeded || (resolved?.n ?? 0) > 0) {
          return undefined;
        }
      }
      // The screener's earlier decision on this record and stage stays in the log, retired.
      await tx.query('update screening_decisions set is_current = false where review_id = $1 and record_id = $2 and stage = $3 and screener_id = $4 and is_current', [
        input.reviewId,
        input.recordId,
        input.stage,
        input.screenerId,
      ]);
      const [row] = await tx.query<{ id: number }>(
        `insert into screening_decisions (review_id, record_id, stage, screener_id, decision, reason, model_version, rank_position)
         values ($1, $2, $3, $4, $5, $6, $7, $8) returning id`,
        [input.reviewId, input.recordId, input.stage, input.screenerId, input.decision, input.reason ?? null, input.modelVersion ?? null, input.rankPosition ?? null],
      );
      await tx.query('update reviews set updated_at = now() where id = $1', [input.reviewId]);
      const [saved] = await tx.query<DecisionRow>(`${decisionSelect} where d.id = $1`, [row?.id]);
      if (!saved) {
        throw new Error('the decision just written was not found');
      }
      return toDecision(saved);
    });
  },

  async resolveConflict(input) {
    await sql.query(
      `insert into screening_resolutions (review_id, record_id, stage, decision, reason, resolved_by_id) values ($1, $2, $3, $4, $5, $6)
       on conflict (review_id, record_id, stage) do update set decision = excluded.decision, reason = excluded.reason,
         resolved_by_id = excluded.resolved_by_id, resolved_at = now()`,
      [input.reviewId, input.recordId, input.stage, input.decision, input.reason ?? null, input.resolvedBy],
    );
  },

  async addNote(input) {
    await sql.query('insert into review_notes (review_id, record_id, author_id, body) values ($1, $2, $3, $4)', [input.reviewId, input.recordId, input.authorId, input.body]);
  },

  async listNotes(reviewId, recordId) {
    const rows = await sql.query<{ name: string; body: string; created_at: Date }>(
      'select u.name, n.body, n.created_at from review_notes n join users u on u.id = n.author_id where n.review_id = $1 and n.record_id = $2 order by n.created_at',
      [reviewId, recordId],
    );
    return rows.map((row) => ({ author: row.name, body: row.body, at: row.created_at }));
  },

  async setTags({ reviewId, recordId, tags, addedBy }) {
    await sql.transaction(async (tx) => {
      await tx.query('delete from review_tags where review_id = $1 and record_id = $2', [reviewId, recordId]);
      await tx.query('insert into review_tags (review_id, record_id, tag, added_by_id) select $1, $2, t, $4 from unnest($3::text[]) as t', [reviewId, recordId, tags, addedBy]);
    });
  },

  async listTags(reviewId, recordId) {
    const rows = await sql.query<{ record_id: string; tag: string }>('select record_id, tag from review_tags where review_id = $1 and ($2::uuid is null or record_id = $2) order by tag', [
      reviewId,
      recordId ?? null,
    ]);
    return rows.map((row) => ({ recordId: row.record_id as RecordId, tag: row.tag }));
  },

  async labelBatch(batchId, sourceName) {
    await sql.query('update import_batches set source_database = $2 where id = $1', [batchId, sourceName ?? null]);
  },

  async listBatches(libraryId) {
    const rows = await sql.query<{
      id: string;
      file_name: string;
      source_database: string | null;
      search_query: string | null;
      file_sha256: string;
      parsed_count: number;
      imported_count: number;
      duplicate_count: number;
      invalid_count: number;
      created_at: Date;
    }>(
      `select id, file_name, source_database, search_query, file_sha256, parsed_count, imported_count, duplicate_count, invalid_count, created_at
       from import_batches where library_id = $1 order by created_at, id`,
      [libraryId],
    );
    return rows.map((row) => ({
      id: row.id as ImportBatchId,
      fileName: row.file_name,
      sourceDatabase: row.source_database ?? undefined,
      searchQuery: row.search_query ?? undefined,
      fileSha256: row.file_sha256,
      parsed: row.parsed_count,
      imported: row.imported_count,
      duplicates: row.duplicate_count,
      skipped: row.invalid_count,
      createdAt: row.created_at,
    }));
  },

  async recordBatchLines(batchId) {
    const rows = await sql.query<{ line: number; record_id: string }>('select line, record_id from record_sources where batch_id = $1 order by line', [batchId]);
    return rows.map((row) => ({ line: row.line, recordId: row.record_id as RecordId }));
  },

  async addAdditions(reviewId, additions) {
    if (additions.length === 0) {
      return;
    }
    await sql.query(
      `insert into review_additions (review_id, source, from_record_id, need_id, record_id, added_by_id)
       select $1, a.source, a.from_record_id, a.need_id, a.record_id, a.added_by_id
       from jsonb_to_recordset($2::jsonb) as a(source text, from_record_id uuid, need_id uuid, record_id uuid, added_by_id uuid)`,
      [
        reviewId,
        JSON.stringify(additions.map((addition) => ({ source: addition.source, from_record_id: addition.fromRecordId, need_id: addition.needId ?? null, record_id: addition.recordId, added_by_id: addition.addedBy }))),
      ],
    );
  },

  async listAdditions(reviewId) {
    const rows = await sql.query<{ source: ReviewAddition['source']; from_record_id: string | null; need_id: string | null; record_id: string; added_at: Date }>(
      'select source, from_record_id, need_id, record_id, added_at from review_additions where review_id = $1 order by added_at, id',
      [reviewId],
    );
    return rows.map((row) => ({
      source: row.source,
      fromRecordId: (row.from_record_id ?? undefined) as RecordId | undefined,
      needId: (row.need_id ?? undefined) as NeedId | undefined,
      recordId: row.record_id as RecordId,
      addedAt: row.added_at,
    }));
  },

  async countMerged(libraryId) {
    const [row] = await sql.query<{ count: number }>('select count(*)::int as count from evidence_records where library_id = $1 and merged_into_id is not null', [libraryId]);
    return row?.count ?? 0;
  },

  async saveModel(input) {
    await sql.query(
      `insert into review_models (review_id, version, model, included, excluded, records, trained_ms) values ($1, $2, $3, $4, $5, $6, $7)
       on conflict (review_id, version) do nothing`,
      [input.reviewId, input.version, input.model, input.included, input.excluded, input.records, input.trainedMs],
    );
  },

  async lastModelVersion(reviewId) {
    const [row] = await sql.query<{ version: number | null }>('select max(version) as version from review_models where review_id = $1', [reviewId]);
    return row?.version ?? 0;
  },

  async listExtractionFields(reviewId) {
    const rows = await sql.query<{ id: string; position: number; label: string; kind: ExtractionField['kind']; options: { choices?: string[]; columns?: string[] }; is_required: boolean }>(
      'select id, position, label, kind, options, is_required from extraction_fields where review_id = $1 order by position',
      [reviewId],
    );
    return rows.map((row) => ({
      id: row.id as ExtractionFieldId,
      position: row.position,
      label: row.label,
      kind: row.kind,
      choices: row.options.choices ?? [],
      columns: row.options.columns ?? [],
      isRequired: row.is_required,
    }));
  },

  async saveExtractionFields(reviewId, fields) {
    await sql.transaction(async (tx) => {
      const kept = fields.flatMap((field) => (field.id ? [field.id] : []));
      // Fields left out are removed with their answers; the rest keep their ids (and answers).
      await tx.query('delete from extraction_fields where review_id = $1 and not (id = any($2::uuid[]))', [reviewId, kept]);
      for (const [position, field] of fields.entries()) {
        const options = JSON.stringify({ choices: field.choices, columns: field.columns });
        // eslint-disable-next-line no-await-in-loop -- a form has a handful of fields, written in order
        await (field.id
          ? tx.query('update extraction_fields set position = $3, label = $4, kind = $5, options = $6, is_required = $7 where id = $1 and review_id = $2', [
              field.id,
              reviewId,
              position,
              field.label,
              field.kind,
              options,
              field.isRequired,
            ])
          : tx.query('insert into extraction_fields (review_id, position, label, kind, options, is_required) values ($1, $2, $3, $4, $5, $6)', [
              reviewId,
              position,
              field.label,
              field.kind,
              options,
              field.isRequired,
            ]));
      }
    });
  },

  async listExtractionValues(reviewId, recordId) {
    const rows = await sql.query<{ record_id: string; field_id: string; value: ExtractionValue; updated_by_id: string | null }>(
      'select record_id, field_id, value, updated_by_id from extraction_values where review_id = $1 and ($2::uuid is null or record_id = $2)',
      [reviewId, recordId ?? null],
    );
    return rows.map((row) => ({ recordId: row.record_id as RecordId, fieldId: row.field_id as ExtractionFieldId, value: row.value, updatedBy: (row.updated_by_id ?? undefined) as UserId | undefined }));
  },

  async listExtractionChecks(reviewId, recordId) {
    const rows = await sql.query<{ record_id: string; checked_by_id: string; name: string; checked_at: Date; basis: string }>(
      `select c.record_id, c.checked_by_id, u.name, c.checked_at, c.basis
       from extraction_checks c join users u on u.id = c.checked_by_id where c.review_id = $1 and ($2::uuid is null or c.record_id = $2)`,
      [reviewId, recordId ?? null],
    );
    return rows.map((row) => ({ recordId: row.record_id as RecordId, checkedBy: row.checked_by_id as UserId, checkedByName: row.name, checkedAt: row.checked_at, basis: row.basis }));
  },

  async saveExtractionCheck({ reviewId, recordId, checkedBy, basis }, guard) {
    return sql.transaction(async (tx) => {
      // The same lock as a save of the answers: a check and a save cannot interleave.
      if (!(await lockAndGuardAnswers(tx, reviewId, recordId, guard))) {
        return false;
      }
      await tx.query(
        `insert into extraction_checks (review_id, record_id, checked_by_id, basis) values ($1, $2, $3, $4)
         on conflict (review_id, record_id) do update set checked_by_id = excluded.checked_by_id, checked_at = now(), basis = excluded.basis`,
        [reviewId, recordId, checkedBy, basis],
      );
      return true;
    });
  },

  async saveExtractionValues({ reviewId, recordId, values, updatedBy }, guard) {
    return sql.transaction(async (tx) => {
      // One save at a time per review: the check below and the writes must not interleave with another's.
      if (!(await lockAndGuardAnswers(tx, reviewId, recordId, guard))) {
        return false;
      }
      for (const { fieldId, value } of values) {
        // eslint-disable-next-line no-await-in-loop -- one form's answers, in one transaction
        await tx.query(
          value === undefined
            ? 'delete from extraction_values where review_id = $1 and record_id = $2 and field_id = $3'
            : `insert into extraction_values (review_id, record_id, field_id, value, updated_by_id) values ($1, $2, $3, $4, $5)
               on conflict (review_id, record_id, field_id) do update set value = excluded.value, updated_by_id = excluded.updated_by_id, updated_at = now()`,
          value === undefined ? [reviewId, recordId, fieldId] : [reviewId, recordId, fieldId, JSON.stringify(value), updatedBy],
        );
      }
      return true;
    });
  },
});
