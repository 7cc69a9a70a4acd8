import { isStaff, type Actor } from '../accounts/roles.js';
import type { EvidenceStore } from '../evidence/ports.js';
import type { EvidenceRecord } from '../evidence/types.js';
import type { Need } from '../needs/types.js';
import { AppError, assertThat } from '../shared/errors.js';
import type { NeedId, RecordId, UserId } from '../shared/ids.js';
import type { ReviewId } from '../reviews/types.js';
import { buildDocument, emptySections, type ReferenceFormatter } from './build.js';
import type { BriefingDocument } from './document.js';
import { diffWords, type WordChange } from './diff.js';
import { mergeSections, type EditConflict } from './conflict.js';
import { citationsOutside } from './markup.js';
import type { BriefingFilter, BriefingStore } from './ports.js';
import type { NewBriefing, SaveBriefing } from './briefing.schema.js';
import { templateDefinitions } from './templates.js';
import type { Briefing, BriefingId, BriefingStatus, Section } from './types.js';

export interface BriefingsDeps {
  store: BriefingStore;
  evidence: Pick<EvidenceStore, 'findRecords'>;
  /** The need, if the actor may see it (undefined otherwise). */
  findNeed: (actor: Actor, id: NeedId) => Promise<Need | undefined>;
  /** Records a review included after full-text screening, if the actor may see the review. */
  reviewIncluded: (actor: Actor, id: ReviewId) => Promise<EvidenceRecord[]>;
  /** Records pinned to a need. */
  pinnedRecords: (actor: Actor, id: NeedId) => Promise<EvidenceRecord[]>;
  formatter: ReferenceFormatter;
  /** A random, unguessable slug for public pages. */
  newSlug: () => string;
  today: () => string;
  /** Runs after a briefing is delivered: the need marked delivered, the requester told, follow-ups scheduled, activity logged. */
  onDelivered: (actor: Actor, briefing: Briefing, need: Need | undefined) => Promise<void>;
}

const transitions: Record<BriefingStatus, BriefingStatus[]> = {
  draft: ['in_review'],
  in_review: ['draft', 'approved'],
  approved: ['draft', 'delivered'],
  delivered: [],
};

/** Who may list briefings (staff, and public contributors, who see those in review): pages that list them ask first. */
export const canListBriefings = (actor: Actor): boolean => isStaff(actor.role) || actor.role === 'contributor';

/** Who sees a briefing: staff always; public contributors once it is in review; anyone who can see the need once it is delivered. */
const canView = (actor: Actor, briefing: Briefing, needVisible: boolean): boolean =>
  isStaff(actor.role) || (actor.role === 'contributor' && briefing.status !== 'draft') || (briefing.status === 'delivered' && needVisible);

/**
 * Four eyes: a briefing is approved by someone other than the author of its current text, unless a
 * lead or an administrator. Why `actor` may not approve a briefing whose current version
 * `currentAuthorId` wrote, or undefined when they may. `changeStatus` enforces it and the briefing
 * page shows it, so the Approve button is offered only to those it lets through.
 */
export const approvalRefusal = (actor: Actor, currentAuthorId: UserId | undefined): string | undefined => {
  if (!isStaff(actor.role)) {
    return 'Only fellows, leads and administrators approve briefings';
  }
  if (currentAuthorId === actor.userId && actor.role !== 'lead' && actor.role !== 'admin') {
    return 'Another fellow must approve this briefing: you wrote its current version (a lead or an administrator may also approve it)';
  }
  return undefined;
};

/**
 * Briefings (issue #6): built from a need, its pinned evidence or a review's included records; a
 * template's sections, edited in versions; review, approval and delivery.
 */
export const createBriefings = (deps: BriefingsDeps) => {
  const { store } = deps;

  const load = async (actor: Actor, id: BriefingId) => {
    const briefing = await store.find(id);
    const need = briefing?.needId ? await deps.findNeed(actor, briefing.needId as NeedId) : undefined;
    assertThat(briefing && canView(actor, briefing, need !== undefined), 'briefing.not_found', 'No such briefing');
    return { briefing, need };
  };

  const loadForStaff = async (actor: Actor, id: BriefingId) => {
    assertThat(isStaff(actor.role), 'auth.forbidden', 'Only fellows, leads and administrators write briefings');
    return load(actor, id);
  };

  const create = async (actor: Actor, input: NewBriefing): Promise<Briefing> => {
    assertThat(isStaff(actor.role), 'auth.forbidden', 'Only fellows, leads and administrators write briefings');
    let need: Need | undefined;
    if (input.needId) {
      need = await deps.findNeed(actor, input.needId as NeedId);
      assertThat(need, 'need.not_found', 'No such need');
    }
    // The evidence list: a review's included records, or the need's pinned evidence.
    const records = input.reviewId ? await deps.reviewIncluded(actor, input.reviewId as ReviewId) : need ? await deps.pinnedRecords(actor, need.id) : [];
    const sections = emptySections(input.template).map((section): Section => {
      if (need && (section.key === 'question' || section.key === 'why' || section.key === 'purpose')) {
        return { ...section, body: section.key === 'question' ? `${need.question}\n\nThis will inform: ${need.decision}` : need.question };
      }
      return section;
    });
    const id = await store.create({
      template: input.template,
      title: input.title,
      citationStyle: input.citationStyle,
      needId: need?.id,
      reviewId: input.reviewId,
      createdBy: actor.userId,
      sections,
      recordIds: records.map((record) => record.id),
    });
    return (await load(actor, id)).briefing;
  };

  /** The briefing, the version asked for (current by default), its evidence list, comments and history. */
  const get = async (actor: Actor, id: BriefingId, version?: number) => {
    const { briefing, need } = await load(actor, id);
    // Earlier versions are working drafts: staff may open them, others see the current one only.
    const seesDrafts = isStaff(actor.role);
    assertThat(version === undefined || version === briefing.currentVersion || seesDrafts, 'briefing.not_found', 'No such version');
    const shown = await store.version(id, version ?? briefing.currentVersion);
    assertThat(shown, 'briefing.not_found', 'No such version');
    const [records, comments, versions, events, current] = await Promise.all([
      deps.evidence.findRecords(briefing.recordIds),
      isStaff(actor.role) || actor.role === 'contributor' ? store.listComments(id) : Promise.resolve([]),
      seesDrafts ? store.listVersions(id) : Promise.resolve([]),
      store.listEvents(id),
      // Who may approve goes by the author of the current text, whichever version is shown.
      shown.version === briefing.currentVersion ? Promise.resolve(shown) : store.version(id, briefing.currentVersion),
    ]);
    return { briefing, need, version: shown, records, comments, versions, events, approvalRefusal: approvalRefusal(actor, current?.createdBy.id) };
  };

  const save = async (actor: Actor, id: BriefingId, input: SaveBriefing): Promise<Briefing> => {
    const { briefing } = await loadForStaff(actor, id);
    assertThat(briefing.status !== 'delivered', 'briefing.invalid_transition', 'A delivered briefing cannot be changed; start a new one');
    const current = await store.version(id, briefing.currentVersion);
    assertThat(current, 'briefing.not_found', 'No such version');
    if (input.baseVersion !== briefing.currentVersion) {
      throw new AppError('briefing.edit_conflict', `Someone saved version ${briefing.currentVersion} while you were editing version ${input.baseVersion}; your text was not saved over theirs`, {
        fields: { sections: 'Compare your text with theirs, merge the two by hand, then save again' },
      });
    }
    const bodies = new Map(input.sections.map((section) => [section.key, section.body]));
    const sections = current.sections.map((section) => ({ ...section, body: bodies.get(section.key) ?? section.body }));
    // A citation that names no record of the evidence list would vanish from every export, leaving the claim uncited.
    const count = briefing.recordIds.length;
    const badCitations = Object.fromEntries(
      sections.flatMap((section) => {
        const outside = citationsOutside(section.body, count);
        return outside.length === 0
          ? []
          : [[`section.${section.key}`, `Cites ${outside.map((number) => `[@${number}]`).join(', ')}, but the evidence list has ${count === 1 ? '1 record' : `${count} records`}: cite [@1] to [@${Math.max(count, 1)}], or add the record first`]];
      }),
    );
    if (Object.keys(badCitations).length > 0) {
      throw new AppError('validation.failed', 'Some citations name no record of the evidence list', { fields: badCitations });
    }
    const saved = await store.saveVersion({ id, expectedVersion: briefing.currentVersion, sections, note: input.note, createdBy: actor.userId });
    assertThat(saved, 'briefing.edit_conflict', 'Someone saved a newer version at the same moment; reload and apply your changes again');
    // Changing an approved text needs approving again.
    if (briefing.status === 'approved') {
      await store.setStatus({ id, from: 'approved', to: 'draft', actorId: actor.userId });
    }
    return (await load(actor, id)).briefing;
  };

  const updateSettings = async (actor: Actor, id: BriefingId, input: { title: string; citationStyle: Briefing['citationStyle']; isPublic: boolean }) => {
    const { briefing } = await loadForStaff(actor, id);
    await store.update(id, { ...input, publicSlug: input.isPublic ? (briefing.publicSlug ?? deps.newSlug()) : briefing.publicSlug });
    return (await load(actor, id)).briefing;
  };

  /** Replaces the evidence list (order matters: `[@n]` cites the n-th). */
  const setEvidence = async (actor: Actor, id: BriefingId, recordIds: RecordId[]) => {
    const { briefing } = await loadForStaff(actor, id);
    assertThat(briefing.status !== 'delivered', 'briefing.invalid_transition', 'A delivered briefing cannot be changed');
    const unique = [...new Set(recordIds)];
    const found = await deps.evidence.findRecords(unique);
    assertThat(found.length === unique.length, 'record.not_found', 'No such record');
    await store.setRecords(id, unique);
  };

  const comment = async (actor: Actor, id: BriefingId, input: { body: string; sectionKey?: string | undefined }) => {
    const { briefing } = await load(actor, id);
    assertThat(isStaff(actor.role) || actor.role === 'contributor', 'auth.forbidden', 'Only fellows and public contributors comment on briefings');
    assertThat(briefing.status === 'in_review', 'briefing.invalid_transition', 'Comments are taken while a briefing is in review');
    await store.addComment({ id, version: briefing.currentVersion, sectionKey: input.sectionKey, authorId: actor.userId, body: input.body });
  };

  const changeStatus = async (actor: Actor, id: BriefingId, to: BriefingStatus): Promise<Briefing> => {
    const { briefing, need } = await loadForStaff(actor, id);
    assertThat(transitions[briefing.status].includes(to), 'briefing.invalid_transition', `A briefing cannot move from ${briefing.status.replace('_', ' ')} to ${to.replace('_', ' ')}`);
    if (to === 'approved') {
      const refusal = approvalRefusal(actor, (await store.version(id, briefing.currentVersion))?.createdBy.id);
      if (refusal !== undefined) {
        throw new AppError('auth.forbidden', refusal);
      }
    }
    await store.setStatus({ id, from: briefing.status, to, actorId: actor.userId });
    const updated = (await load(actor, id)).briefing;
    if (to === 'delivered') {
      await deps.onDelivered(actor, updated, need);
    }
    return updated;
  };

  /**
   * After a save refused as a conflict: the version the user opened, the current one, and each section
   * merged with what they typed (see `mergeSections`), so that the editor can show the other person's
   * text and changes beside theirs. Undefined when the version they opened does not exist.
   */
  const conflict = async (actor: Actor, id: BriefingId, baseVersion: number, typed: readonly { key: string; body: string }[]): Promise<EditConflict | undefined> => {
    const { briefing } = await loadForStaff(actor, id);
    const [base, current] = await Promise.all([store.version(id, baseVersion), store.version(id, briefing.currentVersion)]);
    if (!base || !current || base.version >= current.version) {
      return undefined;
    }
    return {
      baseVersion: base.version,
      current: { version: current.version, note: current.note, createdBy: current.createdBy, createdAt: current.createdAt },
      sections: mergeSections(base.sections, current.sections, new Map(typed.map((section) => [section.key, section.body]))),
    };
  };

  /** Word-level changes in each section between two versions. */
  const compare = async (actor: Actor, id: BriefingId, from: number, to: number) => {
    await loadForStaff(actor, id);
    const [before, after] = await Promise.all([store.version(id, from), store.version(id, to)]);
    assertThat(before && after, 'briefing.not_found', 'No such version');
    const old = new Map(before.sections.map((section) => [section.key, section.body]));
    return {
      from: before,
      to: after,
      sections: after.sections.map((section): { key: string; heading: string; changes: WordChange[]; isChanged: boolean } => {
        const changes = diffWords(old.get(section.key) ?? '', section.body);
        return { key: section.key, heading: section.heading, changes, isChanged: changes.some((change) => change.kind !== 'same') };
      }),
    };
  };

  /** The briefing as a document for export: the current version, or the version given. */
  const document = async (actor: Actor, id: BriefingId, version?: number): Promise<BriefingDocument> => {
    const { briefing, need, version: shown, records } = await get(actor, id, version);
    return toDocument(briefing, shown.sections, records, need);
  };

  const toDocument = (briefing: Briefing, sections: Section[], records: EvidenceRecord[], need: Need | undefined): BriefingDocument =>
    buildDocument(
      {
        briefing,
        sections,
        records,
        authors: [briefing.createdBy.name],
        date: (briefing.deliveredAt ?? briefing.updatedAt).toISOString().slice(0, 10),
        needReference: need?.reference,
        subtitle: need?.decisionMaker ? `${templateDefinitions[briefing.template].label} for ${need.decisionMaker}` : templateDefinitions[briefing.template].label,
      },
      deps.formatter,
    );

  /** A delivered briefing marked public, by its public address: no account needed. */
  const publicDocument = async (slug: string): Promise<BriefingDocument> => {
    const briefing = await store.findBySlug(slug);
    assertThat(briefing && briefing.isPublic && briefing.status === 'delivered', 'briefing.not_found', 'No such public briefing');
    const shown = await store.version(briefing.id, briefing.currentVersion);
    assertThat(shown, 'briefing.not_found', 'No such briefing');
    return toDocument(briefing, shown.sections, await deps.evidence.findRecords(briefing.recordIds), undefined);
  };

  /** Briefings the actor may read: every one for staff, those in review for public contributors. */
  const list = async (actor: Actor, filter: BriefingFilter = {}) => {
    assertThat(canListBriefings(actor), 'auth.forbidden', 'Briefings are listed for fellows and public contributors');
    const all = await store.list(filter);
    return isStaff(actor.role) ? all : all.filter((summary) => summary.status === 'in_review');
  };

  /** The records a briefing from this need would start with: its pinned evidence. */
  const evidenceFor = async (actor: Actor, needId: NeedId) => {
    assertThat(isStaff(actor.role), 'auth.forbidden', 'Only fellows, leads and administrators write briefings');
    return { records: await deps.pinnedRecords(actor, needId) };
  };

  return { create, evidenceFor, get, save, updateSettings, setEvidence, comment, changeStatus, compare, conflict, document, publicDocument, list };
};

export type Briefings = ReturnType<typeof createBriefings>;
