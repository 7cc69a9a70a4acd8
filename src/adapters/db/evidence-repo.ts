import type { StudyDesign } from '../../core/evidence/classify.js';
import type { DedupeKeys, MatchReason } from '../../core/evidence/dedupe.js';
import type { DesignChange, EvidenceStore, GradeRecord, StoredClassification } from '../../core/evidence/ports.js';
import type { ImportFormat, RecordFields } from '../../core/evidence/record.js';
import type { DuplicateCandidate, EvidenceRecord, ImportBatch, Library, RecordSource, RecordTheme } from '../../core/evidence/types.js';
import type { CandidateId, ImportBatchId, LibraryId, RecordId, ThemeId, UserId } from '../../core/shared/ids.js';
import type { Sql } from '../../core/shared/sql.js';

interface RecordRow {
  id: string;
  library_id: string;
  title: string;
  abstract: string | null;
  authors: string[];
  year: number | null;
  journal: string | null;
  volume: string | null;
  issue: string | null;
  pages: string | null;
  doi: string | null;
  pmid: string | null;
  pmcid: string | null;
  url: string | null;
  language: string | null;
  publication_types: string[];
  keywords: string[];
  mesh_terms: string[];
  source_databases: string[];
  issn: string | null;
  publisher: string | null;
  reference_type: string | null;
  study_design: StudyDesign;
  evidence_level: number | null;
  study_design_set_by_hand: boolean;
  study_design_set_at: Date | null;
  study_design_set_by: { id: string; name: string } | null;
  themes: { id: string; name: string }[];
  created_at: Date;
  updated_at: Date;
  total?: number;
}

const optional = <T>(value: T | null): T | undefined => value ?? undefined;

export const toEvidenceRecord = (row: RecordRow): EvidenceRecord => {
  const record: EvidenceRecord = {
    id: row.id as RecordId,
    libraryId: row.library_id as LibraryId,
    title: row.title,
    abstract: optional(row.abstract),
    authors: row.authors,
    year: optional(row.year),
    journal: optional(row.journal),
    volume: optional(row.volume),
    issue: optional(row.issue),
    pages: optional(row.pages),
    doi: optional(row.doi),
    pmid: optional(row.pmid),
    pmcid: optional(row.pmcid),
    url: optional(row.url),
    language: optional(row.language),
    publicationTypes: row.publication_types,
    keywords: row.keywords,
    meshTerms: row.mesh_terms,
    sourceDatabase: row.source_databases[0],
    sourceDatabases: row.source_databases,
    issn: optional(row.issn),
    publisher: optional(row.publisher),
    referenceType: optional(row.reference_type),
    studyDesign: row.study_design,
    evidenceLevel: optional(row.evidence_level),
    studyDesignSetByHand:
      row.study_design_set_by_hand && row.study_design_set_at
        ? { at: row.study_design_set_at, ...(row.study_design_set_by ? { by: { id: row.study_design_set_by.id as UserId, name: row.study_design_set_by.name } } : {}) }
        : undefined,
    themes: row.themes.map((theme): RecordTheme => ({ id: theme.id as ThemeId, name: theme.name })),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  // Absent fields are left out rather than undefined, so records compare and serialise cleanly.
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as unknown as EvidenceRecord;
};

/** A record's themes as JSON `[{id, name}]`, by name; `alias` is the evidence_records row. */
const themesOf = (alias: string) =>
  `coalesce((select json_agg(json_build_object('id', t.id, 'name', t.name) order by lower(t.name))
     from record_themes rt join themes t on t.id = rt.theme_id where rt.record_id = ${alias}.id), '[]'::json)`;

/** Who chose the record's design by hand, as JSON `{id, name}` (null when no one, or outside the app); `alias` is the evidence_records row. */
const designSetByOf = (alias: string) => `(select json_build_object('id', u.id, 'name', u.name) from users u where u.id = ${alias}.study_design_set_by_id)`;

const recordColumns = `r.id, r.library_id, r.title, r.abstract, r.authors, r.year, r.journal, r.volume, r.issue, r.pages, r.doi, r.pmid,
  r.pmcid, r.url, r.language, r.publication_types, r.keywords, r.mesh_terms, r.source_databases, r.issn, r.publisher,
  r.reference_type, r.study_design, r.evidence_level, r.study_design_set_by_hand, r.study_design_set_at,
  ${designSetByOf('r')} as study_design_set_by, ${themesOf('r')} as themes, r.created_at, r.updated_at`;

// Extracting a staged row's JSON fields into columns; `f` is the row's fields.
const textArray = (path: string) => `coalesce(array(select jsonb_array_elements_text(${path})), '{}')`;
const stagedColumns = `f->>'title', f->>'abstract', ${textArray("f->'authors'")}, (f->>'year')::int, f->>'journal', f->>'volume',
  f->>'issue', f->>'pages', f->>'doi', f->>'pmid', f->>'pmcid', f->>'url', f->>'language', ${textArray("f->'publicationTypes'")},
  ${textArray("f->'keywords'")}, ${textArray("f->'meshTerms'")},
  case when f ? 'sourceDatabase' then array[f->>'sourceDatabase'] else '{}'::text[] end,
  f->>'issn', f->>'publisher', f->>'referenceType', f->>'studyDesign', (f->>'evidenceLevel')::int,
  f->'keys'->>'titleKey', f->'keys'->>'authorKey', ${textArray("f->'keys'->'blockKeys'")}`;
const insertColumns = `title, abstract, authors, year, journal, volume, issue, pages, doi, pmid, pmcid, url, language,
  publication_types, keywords, mesh_terms, source_databases, issn, publisher, reference_type, study_design, evidence_level,
  title_key, author_key, block_keys`;

const fillableScalars = ['doi', 'pmid', 'pmcid', 'year', 'journal', 'volume', 'issue', 'pages', 'url', 'language', 'issn', 'publisher'];
const fillableLists = [
  ['keywords', 'keywords'],
  ['mesh_terms', 'meshTerms'],
  ['publication_types', 'publicationTypes'],
] as const;

/**
 * What the copies of each record in an import (`$1`) offer it, one row per record (`c`), each staged row's fields read
 * once: the longest abstract (the first in file order among equals); each other field, and the authors, from the first
 * copy in file order that has one; each list's values as one JSON array of the copies' lists in file order, and the
 * copies' source databases in file order.
 */
const copiesOffer = `copies as (
  select s.record_id, s.seq, x.* from import_staging s
  cross join lateral jsonb_to_record(s.fields) as x(abstract text, doi text, pmid text, pmcid text, year int, journal text,
    volume text, issue text, pages text, url text, language text, issn text, publisher text, authors jsonb, keywords jsonb,
    "meshTerms" jsonb, "publicationTypes" jsonb, "sourceDatabase" text)
  where s.import_id = $1 and not s.is_new),
c as (
  select record_id,
    (array_agg(abstract order by length(abstract) desc, seq) filter (where abstract is not null))[1] as abstract,
    ${fillableScalars.map((column) => `(array_agg(${column} order by seq) filter (where ${column} is not null))[1] as ${column}`).join(', ')},
    (array_agg(authors order by seq) filter (where jsonb_array_length(authors) > 0))[1] as authors,
    ${fillableLists.map(([column, field]) => `jsonb_path_query_array(jsonb_agg("${field}" order by seq) filter (where "${field}" is not null), '$[*][*]') as ${column}`).join(', ')},
    jsonb_agg("sourceDatabase" order by seq) filter (where "sourceDatabase" is not null) as source_databases
  from copies group by record_id)`;

/**
 * The record's list `column` (of `r`) followed by the values of the copies' (a JSON array in `c`) it lacks, each once,
 * in file order. Values are compared case-insensitively, as a merge by hand compares them (`mergeFields`): "Loneliness"
 * does not join "loneliness", and of two spellings new to the record the first in file order is kept.
 */
const appendMissing = (column: string) =>
  `r.${column} || array(select (array_agg(value order by ord))[1] from jsonb_array_elements_text(c.${column}) with ordinality as e(value, ord)
     where not (lower(value) = any(select lower(own) from unnest(r.${column}) as own)) group by lower(value) order by min(ord))`;

/**
 * How a duplicate fills in the record it duplicates (`r`), from what all its copies in the file offer (`c`): the longer
 * abstract; a missing identifier, year, journal, volume, issue, pages, URL, language, ISSN or publisher from the first copy
 * in file order that has one; the authors, when the record has none, from the first copy that has some; the keywords, MeSH
 * headings, publication types and source databases it lacks, in file order. Title, design and keys stay as they are.
 */
const fillIns: (readonly [column: string, value: string])[] = [
  ['abstract', "case when length(coalesce(c.abstract, '')) > length(coalesce(r.abstract, '')) then c.abstract else r.abstract end"],
  ...fillableScalars.map((column) => [column, `coalesce(r.${column}, c.${column})`] as const),
  ['authors', `case when cardinality(r.authors) = 0 and c.authors is not null then ${textArray('c.authors')} else r.authors end`],
  ...[...fillableLists.map(([column]) => column), 'source_databases'].map((column) => [column, appendMissing(column)] as const),
];

interface CandidateRow {
  id: string;
  score: number;
  reasons: MatchReason[];
  status: DuplicateCandidate['status'];
  left_record: RecordRow;
  right_record: RecordRow;
  total?: number;
}

const jsonRecord = (alias: string) =>
  `json_build_object('id', ${alias}.id, 'library_id', ${alias}.library_id, 'title', ${alias}.title, 'abstract', ${alias}.abstract,
    'authors', ${alias}.authors, 'year', ${alias}.year, 'journal', ${alias}.journal, 'volume', ${alias}.volume, 'issue', ${alias}.issue,
    'pages', ${alias}.pages, 'doi', ${alias}.doi, 'pmid', ${alias}.pmid, 'pmcid', ${alias}.pmcid, 'url', ${alias}.url,
    'language', ${alias}.language, 'publication_types', ${alias}.publication_types, 'keywords', ${alias}.keywords,
    'mesh_terms', ${alias}.mesh_terms, 'source_databases', ${alias}.source_databases, 'issn', ${alias}.issn,
    'publisher', ${alias}.publisher, 'reference_type', ${alias}.reference_type, 'study_design', ${alias}.study_design,
    'evidence_level', ${alias}.evidence_level, 'study_design_set_by_hand', ${alias}.study_design_set_by_hand,
    'study_design_set_at', ${alias}.study_design_set_at, 'study_design_set_by', ${designSetByOf(alias)},
    'themes', ${themesOf(alias)}, 'created_at', ${alias}.created_at, 'updated_at', ${alias}.updated_at)`;

// JSON turns timestamps into text; the row mapper expects Dates.
const fromJsonRecord = (row: RecordRow): RecordRow => ({
  ...row,
  study_design_set_at: row.study_design_set_at === null ? null : new Date(row.study_design_set_at),
  created_at: new Date(row.created_at),
  updated_at: new Date(row.updated_at),
});

/** What the study-design rules read of a record, and what it holds now. */
interface ClassificationRow {
  id: string;
  title: string;
  abstract: string | null;
  publication_types: string[];
  mesh_terms: string[];
  study_design: StudyDesign;
  evidence_level: number | null;
}
const classificationColumns = 'id, title, abstract, publication_types, mesh_terms, study_design, evidence_level';

const toStoredClassification = (row: ClassificationRow): StoredClassification => ({
  id: row.id as RecordId,
  title: row.title,
  abstract: optional(row.abstract),
  publicationTypes: row.publication_types,
  meshTerms: row.mesh_terms,
  studyDesign: row.study_design,
  evidenceLevel: optional(row.evidence_level),
});

/** The records among `rows` whose design or level `decide` changes, from and to. */
const designChanges = (rows: readonly ClassificationRow[], decide: GradeRecord): DesignChange[] =>
  rows.flatMap((row) => {
    const from = { design: row.study_design, level: optional(row.evidence_level) };
    const to = decide(toStoredClassification(row));
    return to.design === from.design && to.level === from.level ? [] : [{ id: row.id as RecordId, from, to: { design: to.design, level: to.level } }];
  });

/** Stores the designs `changes` give (each update reaches the change feed, so the index and matching hear of it). */
const writeDesigns = async (tx: Sql, changes: readonly DesignChange[]): Promise<void> => {
  if (changes.length === 0) {
    return;
  }
  await tx.query(
    `update evidence_records r set study_design = c.design, evidence_level = c.level, updated_at = now()
     from jsonb_to_recordset($1::jsonb) as c(id uuid, design text, level int)
     where r.id = c.id`,
    [JSON.stringify(changes.map((change) => ({ id: change.id, design: change.to.design, level: change.to.level ?? null })))],
  );
};

/** What the study-design rules read of a record (`alias`), as one value to compare before and after an enrichment. */
const classifiedFieldsOf = (alias: string) => `md5(jsonb_build_array(${alias}.title, ${alias}.abstract, ${alias}.publication_types, ${alias}.mesh_terms)::text)`;

interface HandDesignRow {
  id: string;
  study_design: StudyDesign;
  evidence_level: number | null;
  study_design_set_by_hand: boolean;
  study_design_set_by_id: string | null;
  study_design_set_at: Date | null;
}

/**
 * The design a merged record keeps when a person chose one for either record: the later choice when
 * both have one (the kept record's on a tie). Undefined when neither has one: the merged fields' grade.
 */
const handDesignAfterMerge = (rows: readonly HandDesignRow[], keepId: string): HandDesignRow | undefined =>
  rows
    .filter((row) => row.study_design_set_by_hand)
    .sort((left, right) => (right.study_design_set_at?.getTime() ?? 0) - (left.study_design_set_at?.getTime() ?? 0) || Number(right.id === keepId) - Number(left.id === keepId))[0];

const toCandidate = (row: CandidateRow): DuplicateCandidate => ({
  id: row.id as CandidateId,
  score: row.score,
  reasons: row.reasons,
  status: row.status,
  left: toEvidenceRecord(fromJsonRecord(row.left_record)),
  right: toEvidenceRecord(fromJsonRecord(row.right_record)),
});

const candidateSelect = `select c.id, c.score, c.reasons, c.status, ${jsonRecord('a')} as left_record, ${jsonRecord('b')} as right_record
  from duplicate_candidates c join evidence_records a on a.id = c.record_id join evidence_records b on b.id = c.other_id`;

interface BatchRow {
  id: string;
  library_id: string;
  file_name: string;
  format: ImportFormat;
  file_sha256: string;
  source_database: string | null;
  search_query: string | null;
  parsed_count: number;
  imported_count: number;
  duplicate_count: number;
  invalid_count: number;
  imported_by: string | null;
  created_at: Date;
}

const toBatch = (row: BatchRow): ImportBatch => ({
  id: row.id as ImportBatchId,
  libraryId: row.library_id as LibraryId,
  fileName: row.file_name,
  format: row.format,
  fileSha256: row.file_sha256,
  sourceDatabase: optional(row.source_database),
  searchQuery: optional(row.search_query),
  parsed: row.parsed_count,
  imported: row.imported_count,
  duplicates: row.duplicate_count,
  invalid: row.invalid_count,
  importedBy: optional(row.imported_by),
  createdAt: row.created_at,
});

const toLibrary = (row: { id: string; name: string; kind: Library['kind'] }): Library => ({ id: row.id as LibraryId, name: row.name, kind: row.kind });

/** The evidence library in PostgreSQL. */
export const createEvidenceRepo = (sql: Sql): EvidenceStore => ({
  async findLibrary(id) {
    const [row] = await sql.query<{ id: string; name: string; kind: Library['kind'] }>('select id, name, kind from libraries where id = $1', [id]);
    return row ? toLibrary(row) : undefined;
  },

  async findMainLibrary() {
    const [row] = await sql.query<{ id: string; name: string; kind: Library['kind'] }>("select id, name, kind from libraries where kind = 'main'");
    if (!row) {
      throw new Error('The main library is missing: migration 0002 creates it');
    }
    return toLibrary(row);
  },

  async findMatches(libraryId, keys) {
    const dois = keys.flatMap((key) => key.doi ?? []);
    const pmids = keys.flatMap((key) => key.pmid ?? []);
    const rows = await sql.query<{ id: string; doi: string | null; pmid: string | null; title_key: string; author_key: string | null; year: number | null; block_keys: string[] }>(
      // One index lookup per key, united: written as one `or` of `= any` and `&&` over a chunk's hundreds of keys,
      // PostgreSQL scanned the whole library and compared every row with every key (half a second a chunk at 14,000
      // records, docs/decisions/0005).
      `select id, doi, pmid, title_key, author_key, year, block_keys from evidence_records
       where library_id = $1 and merged_into_id is null and id in (
         select id from evidence_records where library_id = $1 and doi = any($2::text[])
         union all select id from evidence_records where library_id = $1 and pmid = any($3::text[])
         union all select r.id from (select distinct unnest($4::text[]) as key) k join evidence_records r on r.library_id = $1 and r.title_key = k.key
         union all select r.id from (select distinct unnest($5::text[]) as key) k join evidence_records r on r.block_keys @> array[k.key])`,
      [libraryId, dois, pmids, keys.map((key) => key.titleKey), keys.flatMap((key) => key.blockKeys)],
    );
    return rows.map((row) => ({
      id: row.id as RecordId,
      keys: { doi: optional(row.doi), pmid: optional(row.pmid), titleKey: row.title_key, authorKey: optional(row.author_key), year: optional(row.year), blockKeys: row.block_keys } satisfies DedupeKeys,
    }));
  },

  async stageRows(importId, rows) {
    await sql.query(
      `insert into import_staging (import_id, seq, line, record_id, is_new, fields, candidates)
       select $1::uuid, r.seq, r.line, r.record_id, r.is_new, r.fields, r.candidates
       from jsonb_to_recordset($2::jsonb) as r(seq int, line int, record_id uuid, is_new boolean, fields jsonb, candidates jsonb)`,
      [importId, JSON.stringify(rows.map((row) => ({ seq: row.seq, line: row.line, record_id: row.recordId, is_new: row.isNew, fields: row.fields, candidates: row.candidates })))],
    );
  },

  async promoteStaged(importId, batch) {
    return sql.transaction(async (tx) => {
      // A record the file's copies duplicate may have been merged into another since they were staged (a fellow on the
      // duplicates page meanwhile): the copies then fill in, and become sources of, the record that survived. Each record is
      // locked before it is read (in id order, as a merge locks its two), so no merge can slip in after; a chain of merges
      // is followed a link per pass.
      for (;;) {
        // eslint-disable-next-line no-await-in-loop -- each pass follows one more link of a chain
        const [moved] = await tx.query<{ count: number }>(
          `with locked as (
             select r.id, r.merged_into_id from evidence_records r
             where r.id in (select record_id from import_staging where import_id = $1 and not is_new)
             order by r.id for update),
           moved as (
             update import_staging s set record_id = l.merged_into_id from locked l
             where s.import_id = $1 and not s.is_new and s.record_id = l.id and l.merged_into_id is not null
             returning 1)
           select count(*)::int as count from moved`,
          [importId],
        );
        if ((moved?.count ?? 0) === 0) {
          break;
        }
      }
      const [created] = await tx.query<{ id: string }>(
        `insert into import_batches (library_id, file_name, format, file_sha256, search_query, parsed_count, imported_count,
           duplicate_count, invalid_count, imported_by_id)
         values ($1, $2, $3, $4, $5, $6, 0, 0, $7, $8) returning id`,
        [batch.libraryId, batch.fileName, batch.format, batch.fileSha256, batch.searchQuery ?? null, batch.parsed, batch.invalid, batch.importedBy ?? null],
      );
      if (!created) {
        throw new Error('insert into import_batches returned no row');
      }
      const batchId = created.id;
      const [imported] = await tx.query<{ count: number }>(
        `with inserted as (
           insert into evidence_records (id, library_id, ${insertColumns}, first_batch_id, first_line)
           select s.record_id, $2, ${stagedColumns}, $3, s.line
           from import_staging s cross join lateral (select s.fields as f) x
           where s.import_id = $1 and s.is_new order by s.seq
           returning 1)
         select count(*)::int as count from inserted`,
        [importId, batch.libraryId, batchId],
      );
      // What the study-design rules read of each record a duplicate enriches, before it does, unless a person set its design
      // (locked in id order: the enrichment below updates these rows anyway).
      const enriched = await tx.query<{ id: string; classified: string }>(
        `select r.id, ${classifiedFieldsOf('r')} as classified from evidence_records r
         where r.id in (select record_id from import_staging where import_id = $1 and not is_new)
           and r.merged_into_id is null and not r.study_design_set_by_hand
         order by r.id for update`,
        [importId],
      );
      // Every duplicate fills in what the record lacks (see `fillIns`); only a row whose values change is written, so a
      // duplicate that adds nothing (a re-import) reaches neither updated_at nor the change feed.
      await tx.query(
        `with ${copiesOffer}
         update evidence_records r set ${fillIns.map(([column, value]) => `${column} = ${value}`).join(', ')}, updated_at = now()
         from c where r.id = c.record_id
           and (${fillIns.map(([column]) => `r.${column}`).join(', ')}) is distinct from (${fillIns.map(([, value]) => value).join(', ')})`,
        [importId],
      );
      // A record whose abstract, publication types or MeSH headings the duplicate filled in is graded again with the current
      // rules (a record graded from its title alone may now be a trial or a protocol); the rest keep their design.
      if (enriched.length > 0) {
        const changed = await tx.query<ClassificationRow>(
          `select ${classificationColumns} from evidence_records r
           where exists (select 1 from unnest($1::uuid[], $2::text[]) as before(id, classified)
                         where before.id = r.id and before.classified <> ${classifiedFieldsOf('r')})`,
          [enriched.map((row) => row.id), enriched.map((row) => row.classified)],
        );
        await writeDesigns(tx, designChanges(changed, batch.classify));
      }
      await tx.query(
        `insert into record_sources (record_id, batch_id, line, source_database, fields)
         select record_id, $2, line, fields->>'sourceDatabase', fields - 'keys' - 'studyDesign' - 'evidenceLevel'
         from import_staging where import_id = $1 order by seq`,
        [importId, batchId],
      );
      const [candidates] = await tx.query<{ count: number }>(
        `with inserted as (
           insert into duplicate_candidates (library_id, record_id, other_id, score, reasons)
           select $2, least(s.record_id, (c->>'otherId')::uuid), greatest(s.record_id, (c->>'otherId')::uuid), (c->>'score')::real,
                  ${textArray("c->'reasons'")}
           from import_staging s cross join jsonb_array_elements(s.candidates) c
           where s.import_id = $1 and s.is_new and s.record_id <> (c->>'otherId')::uuid
           on conflict (record_id, other_id) do nothing
           returning 1)
         select count(*)::int as count from inserted`,
        [importId, batch.libraryId],
      );
      // Every record of the file, new or the one it duplicates, gets the themes chosen for the import.
      if (batch.themeIds.length > 0) {
        await tx.query(
          `insert into record_themes (record_id, theme_id, added_by_id)
           select distinct s.record_id, t.theme_id, $3::uuid
           from import_staging s cross join unnest($2::uuid[]) as t(theme_id)
           where s.import_id = $1
           on conflict (record_id, theme_id) do nothing`,
          [importId, batch.themeIds, batch.importedBy ?? null],
        );
      }
      const [counts] = await tx.query<{ staged: number; duplicates: number }>(
        'select count(*)::int as staged, count(*) filter (where not is_new)::int as duplicates from import_staging where import_id = $1',
        [importId],
      );
      await tx.query('update import_batches set imported_count = $2, duplicate_count = $3 where id = $1', [batchId, imported?.count ?? 0, counts?.duplicates ?? 0]);
      await tx.query('delete from import_staging where import_id = $1', [importId]);
      return { batchId: batchId as ImportBatchId, imported: imported?.count ?? 0, duplicates: counts?.duplicates ?? 0, candidates: candidates?.count ?? 0 };
    });
  },

  async discardStaged(importId) {
    await sql.query('delete from import_staging where import_id = $1', [importId]);
  },

  async listRecords(filter) {
    const rows = await sql.query<RecordRow>(
      `select ${recordColumns}, count(*) over ()::int as total from evidence_records r
       where r.library_id = $1 and r.merged_into_id is null
         and ($2::int is null or r.year >= $2) and ($3::int is null or r.year <= $3)
         and ($4::text[] is null or r.study_design = any($4))
         and ($5::int[] is null or r.evidence_level = any($5))
         and ($6::text is null or $6 = any(r.source_databases))
         and ($7::uuid is null or exists (select 1 from record_sources s where s.record_id = r.id and s.batch_id = $7))
         and ($8::text is null or r.title ilike '%' || $8 || '%')
         and ($11::uuid[] is null or exists (select 1 from record_themes t where t.record_id = r.id and t.theme_id = any($11)))
       order by r.year desc nulls last, r.title
       limit $9 offset $10`,
      [
        filter.libraryId,
        filter.yearFrom ?? null,
        filter.yearTo ?? null,
        filter.designs && filter.designs.length > 0 ? filter.designs : null,
        filter.levels && filter.levels.length > 0 ? filter.levels : null,
        filter.sourceDatabase ?? null,
        filter.batchId ?? null,
        filter.text ? filter.text.replace(/[%_\\]/g, (character) => `\\${character}`) : null,
        filter.limit,
        filter.offset,
        filter.themeIds && filter.themeIds.length > 0 ? filter.themeIds : null,
      ],
    );
    return { records: rows.map(toEvidenceRecord), total: rows[0]?.total ?? 0 };
  },

  async facets(libraryId) {
    const live = 'library_id = $1 and merged_into_id is null';
    const [years, designs, levels, sources, themes] = await Promise.all([
      sql.query<{ year: number; count: number }>(`select year, count(*)::int as count from evidence_records where ${live} and year is not null group by year order by year desc`, [libraryId]),
      sql.query<{ design: StudyDesign; count: number }>(`select study_design as design, count(*)::int as count from evidence_records where ${live} group by study_design order by count desc`, [libraryId]),
      sql.query<{ level: number | null; count: number }>(`select evidence_level as level, count(*)::int as count from evidence_records where ${live} group by evidence_level order by evidence_level nulls last`, [libraryId]),
      sql.query<{ name: string; count: number }>(
        `select name, count(*)::int as count from evidence_records, unnest(source_databases) as name where ${live} group by name order by count desc`,
        [libraryId],
      ),
      sql.query<{ id: string; name: string; count: number }>(
        `select t.id, t.name, count(*)::int as count
         from record_themes rt join themes t on t.id = rt.theme_id join evidence_records r on r.id = rt.record_id
         where r.library_id = $1 and r.merged_into_id is null
         group by t.id, t.name order by count desc, lower(t.name)`,
        [libraryId],
      ),
    ]);
    return { years, designs, levels, sourceDatabases: sources, themes: themes.map((theme) => ({ id: theme.id as ThemeId, name: theme.name, count: theme.count })) };
  },

  async findRecord(id) {
    const [row] = await sql.query<RecordRow>(`select ${recordColumns} from evidence_records r where r.id = $1`, [id]);
    return row ? toEvidenceRecord(row) : undefined;
  },

  async listSources(id) {
    const rows = await sql.query<{ id: string; batch_id: string | null; file_name: string | null; format: string | null; line: number | null; source_database: string | null; fields: RecordFields; created_at: Date }>(
      `select s.id, s.batch_id, b.file_name, b.format, s.line, s.source_database, s.fields, s.created_at
       from record_sources s left join import_batches b on b.id = s.batch_id where s.record_id = $1 order by s.created_at, s.id`,
      [id],
    );
    return rows.map(
      (row): RecordSource => ({
        id: row.id,
        batchId: optional(row.batch_id) as ImportBatchId | undefined,
        fileName: optional(row.file_name),
        format: optional(row.format),
        line: optional(row.line),
        sourceDatabase: optional(row.source_database),
        fields: row.fields,
        at: row.created_at,
      }),
    );
  },

  async findRecords(ids) {
    if (ids.length === 0) {
      return [];
    }
    const rows = await sql.query<RecordRow>(`select ${recordColumns} from evidence_records r where r.id = any($1::uuid[])`, [ids]);
    const byId = new Map(rows.map((row) => [row.id, toEvidenceRecord(row)]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  },

  async listBatches(libraryId) {
    const rows = await sql.query<BatchRow>(
      `select b.*, u.name as imported_by from import_batches b left join users u on u.id = b.imported_by_id
       where b.library_id = $1 order by b.created_at desc`,
      [libraryId],
    );
    return rows.map(toBatch);
  },

  async listCandidates(libraryId, status, paging) {
    const rows = await sql.query<CandidateRow>(
      `${candidateSelect.replace('select c.id', 'select count(*) over ()::int as total, c.id')}
       where c.library_id = $1 and c.status = $2 order by c.score desc, c.created_at limit $3 offset $4`,
      [libraryId, status, paging.limit, paging.offset],
    );
    return { candidates: rows.map(toCandidate), total: rows[0]?.total ?? 0 };
  },

  async findCandidate(id) {
    const [row] = await sql.query<CandidateRow>(`${candidateSelect} where c.id = $1`, [id]);
    return row ? toCandidate(row) : undefined;
  },

  async mergeRecords({ keepId, mergeId, fields, candidateId, decidedBy }) {
    await sql.transaction(async (tx) => {
      // Both records' databases, read before the merged fields (which name only one) overwrite the kept record's.
      const [databases] = await tx.query<{ names: string[] }>(
        `select coalesce(array_agg(distinct name), '{}') as names from (
           select unnest(source_databases) as name from evidence_records where id = any($1::uuid[])) names`,
        [[keepId, mergeId]],
      );
      // A design chosen by hand for either record survives the merge, with who chose it and when;
      // otherwise the merged fields' classification is kept. Both rows locked, so a choice made meanwhile waits.
      const hand = handDesignAfterMerge(
        await tx.query<HandDesignRow>(
          `select id, study_design, evidence_level, study_design_set_by_hand, study_design_set_by_id, study_design_set_at
           from evidence_records where id = any($1::uuid[]) order by id for update`,
          [[keepId, mergeId]],
        ),
        keepId,
      );
      const design = hand ? { studyDesign: hand.study_design, evidenceLevel: optional(hand.evidence_level) } : {};
      await tx.query(
        `update evidence_records set (${insertColumns}) = (select ${stagedColumns} from (select $2::jsonb as f) y), updated_at = now()
         where id = $1`,
        [keepId, JSON.stringify({ ...fields, ...design })],
      );
      await tx.query(
        `update evidence_records set source_databases = $2::text[], study_design_set_by_hand = $3, study_design_set_by_id = $4,
           study_design_set_at = $5 where id = $1`,
        [keepId, databases?.names ?? [], hand !== undefined, hand?.study_design_set_by_id ?? null, hand?.study_design_set_at ?? null],
      );
      await tx.query('update record_sources set record_id = $1 where record_id = $2', [keepId, mergeId]);
      // The kept record gets every theme of the merged one (the merged one keeps its own, for the audit trail).
      await tx.query(
        `insert into record_themes (record_id, theme_id, added_by_id, added_at)
         select $1, theme_id, added_by_id, added_at from record_themes where record_id = $2
         on conflict (record_id, theme_id) do nothing`,
        [keepId, mergeId],
      );
      await tx.query('update evidence_records set merged_into_id = $1, updated_at = now() where id = $2', [keepId, mergeId]);
      if (candidateId) {
        await tx.query("update duplicate_candidates set status = 'merged', decided_by_id = $2, decided_at = now() where id = $1", [candidateId, decidedBy ?? null]);
      }
      // Other open pairs of the merged record now concern the kept one; they are re-found on the next scan.
      await tx.query("delete from duplicate_candidates where status = 'open' and (record_id = $1 or other_id = $1)", [mergeId]);
    });
  },

  async listDedupeKeys(libraryId) {
    const rows = await sql.query<{ id: string; doi: string | null; pmid: string | null; title_key: string; author_key: string | null; year: number | null; block_keys: string[] }>(
      'select id, doi, pmid, title_key, author_key, year, block_keys from evidence_records where library_id = $1 and merged_into_id is null order by created_at, id',
      [libraryId],
    );
    return rows.map((row) => ({
      id: row.id as RecordId,
      keys: { doi: optional(row.doi), pmid: optional(row.pmid), titleKey: row.title_key, authorKey: optional(row.author_key), year: optional(row.year), blockKeys: row.block_keys },
    }));
  },

  async insertCandidates(libraryId, pairs) {
    if (pairs.length === 0) {
      return 0;
    }
    const [row] = await sql.query<{ count: number }>(
      `with inserted as (
         insert into duplicate_candidates (library_id, record_id, other_id, score, reasons)
         select $1, least(p.left_id, p.right_id), greatest(p.left_id, p.right_id), p.score, p.reasons
         from jsonb_to_recordset($2::jsonb) as p(left_id uuid, right_id uuid, score real, reasons text[])
         on conflict (record_id, other_id) do nothing
         returning 1)
       select count(*)::int as count from inserted`,
      [libraryId, JSON.stringify(pairs.map((pair) => ({ left_id: pair.left, right_id: pair.right, score: pair.score, reasons: pair.reasons })))],
    );
    return row?.count ?? 0;
  },

  async keepApart({ candidateId, decidedBy }) {
    await sql.query("update duplicate_candidates set status = 'kept_apart', decided_by_id = $2, decided_at = now() where id = $1", [candidateId, decidedBy]);
  },

  async findThemes(ids) {
    if (ids.length === 0) {
      return [];
    }
    const rows = await sql.query<{ id: string; name: string }>('select id, name from themes where id = any($1::uuid[]) order by lower(name)', [ids]);
    return rows.map((row) => ({ id: row.id as ThemeId, name: row.name }));
  },

  async findThemesByName(names) {
    if (names.length === 0) {
      return [];
    }
    const rows = await sql.query<{ id: string; name: string }>(
      'select id, name from themes where lower(name) = any(array(select lower(name) from unnest($1::text[]) as name)) order by lower(name)',
      [names],
    );
    return rows.map((row) => ({ id: row.id as ThemeId, name: row.name }));
  },

  async setRecordThemes({ recordId, themeIds, addedBy }) {
    // Only the difference is written: themes kept keep who added them and when, and an unchanged
    // set touches no row (so the change feed is not told of a change that did not happen).
    await sql.transaction(async (tx) => {
      await tx.query('delete from record_themes where record_id = $1 and not (theme_id = any($2::uuid[]))', [recordId, themeIds]);
      await tx.query(
        `insert into record_themes (record_id, theme_id, added_by_id)
         select $1, theme_id, $3 from unnest($2::uuid[]) as t(theme_id)
         on conflict (record_id, theme_id) do nothing`,
        [recordId, themeIds, addedBy],
      );
    });
  },

  async setStudyDesign(recordId, choice) {
    return sql.transaction(async (tx) => {
      const [row] = await tx.query<ClassificationRow & { study_design_set_by_hand: boolean }>(
        `select ${classificationColumns}, study_design_set_by_hand from evidence_records where id = $1 and merged_into_id is null for update`,
        [recordId],
      );
      if (!row) {
        return false;
      }
      if (choice.kind === 'by_hand') {
        await tx.query(
          `update evidence_records set study_design = $2, evidence_level = $3, study_design_set_by_hand = true, study_design_set_by_id = $4,
             study_design_set_at = now(), updated_at = now()
           where id = $1 and not (study_design_set_by_hand and study_design = $2)`,
          [recordId, choice.design, choice.level ?? null, choice.setBy],
        );
        return true;
      }
      const to = choice.classify(toStoredClassification(row));
      await tx.query(
        `update evidence_records set study_design = $2, evidence_level = $3, study_design_set_by_hand = false, study_design_set_by_id = null,
           study_design_set_at = null, updated_at = now()
         where id = $1 and (study_design_set_by_hand or study_design <> $2 or evidence_level is distinct from $3::int)`,
        [recordId, to.design, to.level ?? null],
      );
      return true;
    });
  },

  async classificationRulesVersion() {
    const [row] = await sql.query<{ rules_version: number }>('select rules_version from classification_state');
    return row?.rules_version ?? 0;
  },

  async setClassificationRulesVersion(version) {
    await sql.query('update classification_state set rules_version = greatest(rules_version, $1)', [version]);
  },

  async reclassifyBatch({ afterId, limit, libraryId, dryRun }, decide) {
    const run = async (tx: Sql) => {
      // Locked (unless a dry run) so that an edit or merge meanwhile waits rather than being overwritten
      // with a design worked out from the fields it replaced.
      const rows = await tx.query<ClassificationRow>(
        `select ${classificationColumns} from evidence_records
         where merged_into_id is null and not study_design_set_by_hand
           and ($1::uuid is null or id > $1) and ($3::uuid is null or library_id = $3)
         order by id limit $2${dryRun ? '' : ' for update'}`,
        [afterId ?? null, limit, libraryId ?? null],
      );
      const changes = designChanges(rows, decide);
      if (!dryRun) {
        await writeDesigns(tx, changes);
      }
      return { lastId: rows.at(-1)?.id as RecordId | undefined, read: rows.length, changes };
    };
    return dryRun ? run(sql) : sql.transaction(run);
  },
});
