import type { BriefingSummary } from '../../../core/briefings/ports.js';
import type { WordChange } from '../../../core/briefings/diff.js';
import type { BriefingDocument } from '../../../core/briefings/document.js';
import { templateDefinitions, templateLabels } from '../../../core/briefings/templates.js';
import { briefingStatusLabels, templates, type Briefing, type BriefingComment, type BriefingStatus, type BriefingVersion } from '../../../core/briefings/types.js';
import type { EvidenceRecord } from '../../../core/evidence/types.js';
import { Button, Choices, CsrfField, ErrorSummary, Select, TextInput, emptyForm, type FormState } from '../../components/form.js';
import { citationLine, shortAuthors } from '../../components/record-parts.js';
import { formatDateTime } from '../../format.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';
import { DocumentView } from './document-view.js';
import { EditConflictSummary, TheirChanges, TheirText, type EditConflictView } from './edit-conflict.js';
import { WordChanges } from './word-changes.js';

/** Readability of one section, as the page shows it beside the text. */
export interface SectionReadability {
  key: string;
  readingEase: number | undefined;
  grade: number | undefined;
  readingAge: number | undefined;
  verdict: 'meets' | 'near' | 'hard' | 'empty';
  explanation: string;
  hardest: string[];
  jargon: { term: string; plainer: string }[];
  /** The section's text with its hardest sentences marked. */
  segments: { text: string; isHard: boolean }[];
}

const Status = ({ status }: { status: BriefingStatus }) => (
  <strong class={`nhsuk-tag${status === 'delivered' ? ' nhsuk-tag--green' : status === 'approved' ? ' nhsuk-tag--blue' : status === 'in_review' ? ' nhsuk-tag--yellow' : ' nhsuk-tag--grey'}`} id="briefing-status">
    {briefingStatusLabels[status]}
  </strong>
);

/**
 * The list of briefings. Those who write briefings (`canStart`, as the briefing routes check) are told
 * where one starts, with links to the needs and the reviews; public contributors, who see the briefings in
 * review, are told what they can do with them.
 */
export const BriefingsListPage = ({ context, briefings, canStart }: { context: PageContext; briefings: BriefingSummary[]; canStart: boolean }) => (
  <Layout title="Briefings" context={context}>
    <h1>Briefings</h1>
    {canStart ? (
      <p id="briefings-start">
        Start a briefing from a <a href="/needs">need</a> (its pinned evidence) or from a <a href="/reviews">review</a> (its included records).
      </p>
    ) : (
      <p id="briefings-start">Briefings in review are listed here: read them and comment on them while they are in review. Fellows write and deliver them.</p>
    )}
    {briefings.length === 0 ? (
      <p>No briefings yet.</p>
    ) : (
      <table class="nhsuk-table">
        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Briefings</caption>
        <thead class="nhsuk-table__head">
          <tr>
            <th scope="col">Briefing</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col">Last change</th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {briefings.map((briefing) => (
            <tr>
              <td>
                <a href={`/briefings/${briefing.id}`}>
                  {briefing.reference}: {briefing.title}
                </a>
              </td>
              <td>{templateLabels[briefing.template]}</td>
              <td>{briefingStatusLabels[briefing.status]}</td>
              <td>{formatDateTime(briefing.updatedAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    )}
  </Layout>
);

export const NewBriefingPage = ({ context, form, source }: { context: PageContext; form: FormState; source: { kind: 'need' | 'review'; id: string; title: string; records: number } | undefined }) => (
  <Layout title="Start a briefing" context={context} hasErrors={Object.keys(form.errors).length > 0}>
    <div class="nhsuk-grid-row">
      <div class="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={form.errors} order={['template', 'title']} />
        <h1>Start a briefing</h1>
        {source ? (
          <p>
            From the {source.kind} <a href={`/${source.kind === 'need' ? 'needs' : 'reviews'}/${source.id}`}>{source.title}</a>, with its{' '}
            {source.kind === 'need' ? 'pinned evidence' : 'included records'} ({source.records}) as the evidence to cite.
          </p>
        ) : null}
        <form method="post" action="/briefings" novalidate>
          <CsrfField token={context.csrfToken} />
          {source ? <input type="hidden" name={source.kind === 'need' ? 'needId' : 'reviewId'} value={source.id} /> : null}
          {source?.kind === 'review' && form.values.needId ? <input type="hidden" name="needId" value={String(form.values.needId)} /> : null}
          <Choices
            kind="radio"
            name="template"
            label="Kind of briefing"
            state={form}
            options={templates.map((template) => ({ value: template, label: templateDefinitions[template].label, hint: templateDefinitions[template].description }))}
          />
          <TextInput name="title" label="Title" state={form} />
          <Choices
            kind="radio"
            name="citationStyle"
            label="Reference style"
            state={form}
            options={[
              { value: 'vancouver', label: 'Vancouver (numbered)' },
              { value: 'harvard', label: 'Harvard (author and year)' },
            ]}
          />
          <Button>Start briefing</Button>
        </form>
      </div>
    </div>
  </Layout>
);

const nextMoves: Record<BriefingStatus, { to: BriefingStatus; label: string; secondary?: boolean }[]> = {
  draft: [{ to: 'in_review', label: 'Send for review' }],
  in_review: [
    { to: 'approved', label: 'Approve' },
    { to: 'draft', label: 'Back to draft', secondary: true },
  ],
  approved: [
    { to: 'delivered', label: 'Deliver to the requester' },
    { to: 'draft', label: 'Back to draft', secondary: true },
  ],
  delivered: [],
};

export interface BriefingPageData {
  briefing: Briefing;
  document: BriefingDocument;
  version: BriefingVersion;
  versions: Omit<BriefingVersion, 'sections'>[];
  comments: BriefingComment[];
  events: { from: BriefingStatus | undefined; to: BriefingStatus; actor: string; at: Date }[];
  need: { id: string; reference: string; title: string } | undefined;
  canEdit: boolean;
  canComment: boolean;
  /** Why the viewer may not approve the briefing (the core's four-eyes rule), or undefined when they may. */
  approvalRefusal: string | undefined;
  readability: SectionReadability[];
}

export const ReadabilityPanel = ({ readability, audience }: { readability: SectionReadability[]; audience: string }) => (
  <details class="nhsuk-details" id="readability" open>
    <summary class="nhsuk-details__summary">
      <span class="nhsuk-details__summary-text">Plain English: readability for {audience}</span>
    </summary>
    <div class="nhsuk-details__text">
      <table class="nhsuk-table">
        <caption class="nhsuk-table__caption nhsuk-table__caption--s">Readability by section</caption>
        <thead>
          <tr>
            <th scope="col">Section</th>
            <th scope="col" class="nhsuk-table__header--numeric">
              Reading ease
            </th>
            <th scope="col" class="nhsuk-table__header--numeric">
              Reading age
            </th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {readability
            .filter((section) => section.verdict !== 'empty')
            .map((section) => (
              <tr data-section={section.key} data-verdict={section.verdict}>
                <td>{section.key.replace(/_/g, ' ')}</td>
                <td class="nhsuk-table__cell--numeric">{section.readingEase?.toFixed(0) ?? '–'}</td>
                <td class="nhsuk-table__cell--numeric">{section.readingAge?.toFixed(0) ?? '–'}</td>
                <td>
                  {section.explanation}
                  {section.hardest.length > 0 ? (
                    <>
                      <br />
                      <span class="nhsuk-body-s">Hardest sentence: “{section.hardest[0]}”</span>
                    </>
                  ) : null}
                  {section.jargon.length > 0 ? (
                    <>
                      <br />
                      <span class="nhsuk-body-s">
                        Jargon:{' '}
                        {section.jargon.map((entry, index) => (
                          <>
                            {index > 0 ? '; ' : ''}“{entry.term}” (try “{entry.plainer}”)
                          </>
                        ))}
                      </span>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
        </tbody>
      </table>
      {readability
        .filter((section) => section.segments.some((segment) => segment.isHard))
        .map((section) => (
          <div class="app-readability-text" data-section={section.key}>
            <h3 class="nhsuk-heading-xs">Hardest sentences in “{section.key.replace(/_/g, ' ')}”</h3>
            <p class="app-readability-text__body">
              {section.segments.map((segment) =>
                segment.isHard ? (
                  <mark class="app-mark app-mark--exclude">
                    <span class="nhsuk-u-visually-hidden">[hard: </span>
                    {segment.text}
                    <span class="nhsuk-u-visually-hidden">]</span>
                  </mark>
                ) : (
                  segment.text
                ),
              )}
            </p>
          </div>
        ))}
    </div>
  </details>
);

export const BriefingPage = ({ context, data }: { context: PageContext; data: BriefingPageData }) => {
  const { briefing, document } = data;
  const isCurrent = data.version.version === briefing.currentVersion;
  return (
    <Layout title={briefing.title} context={context}>
      <span class="nhsuk-caption-l">
        {briefing.reference} · {templateLabels[briefing.template]}
        {data.need ? (
          <>
            {' '}
            · for <a href={`/needs/${data.need.id}`}>{data.need.reference}</a>
          </>
        ) : null}
      </span>
      <h1>{briefing.title}</h1>
      <p>
        <Status status={briefing.status} /> Version {data.version.version}
        {isCurrent ? '' : ` (the current version is ${briefing.currentVersion})`}, by {data.version.createdBy.name}, {formatDateTime(data.version.createdAt)}.
      </p>
      {data.canEdit ? (
        <div class="app-briefing-actions">
          {briefing.status !== 'delivered' ? (
            <a class="nhsuk-button nhsuk-button--secondary" href={`/briefings/${briefing.id}/edit`}>
              Edit the text
            </a>
          ) : null}
          {nextMoves[briefing.status]
            // Approve is offered only to those the core's rule lets approve; the author is told why not, below.
            .filter((move) => move.to !== 'approved' || data.approvalRefusal === undefined)
            .map((move) => (
              <form method="post" action={`/briefings/${briefing.id}/status`} class="app-inline-form">
                <CsrfField token={context.csrfToken} />
                <input type="hidden" name="status" value={move.to} />
                <Button secondary={move.secondary ?? false}>{move.label}</Button>
              </form>
            ))}
        </div>
      ) : null}
      {data.canEdit && briefing.status === 'in_review' && data.approvalRefusal !== undefined ? (
        <div class="nhsuk-inset-text" id="approval-refusal">
          <span class="nhsuk-u-visually-hidden">Information: </span>
          <p>{data.approvalRefusal}.</p>
        </div>
      ) : null}
      <ul class="nhsuk-list" id="exports" aria-label="Download">
        <li>
          <a href={`/briefings/${briefing.id}/export.docx`}>Download as Word (DOCX)</a>
        </li>
        <li>
          <a href={`/briefings/${briefing.id}/export.pdf`}>Download as PDF</a>
        </li>
        <li>
          <a href={`/briefings/${briefing.id}/export.html`}>Download as a web page (HTML)</a>
        </li>
        {briefing.isPublic && briefing.publicSlug && briefing.status === 'delivered' ? (
          <li>
            Public page: <a href={`/p/${briefing.publicSlug}`}>{`/p/${briefing.publicSlug}`}</a>
          </li>
        ) : null}
      </ul>
      {data.canEdit && briefing.status !== 'delivered' ? (
        <details class="nhsuk-details">
          <summary class="nhsuk-details__summary">
            <span class="nhsuk-details__summary-text">Title, reference style and public page</span>
          </summary>
          <div class="nhsuk-details__text">
            <form method="post" action={`/briefings/${briefing.id}/settings`} novalidate>
              <CsrfField token={context.csrfToken} />
              <TextInput name="title" label="Title" state={emptyForm({ title: briefing.title })} />
              <Choices
                kind="radio"
                name="citationStyle"
                label="Reference style"
                state={emptyForm({ citationStyle: briefing.citationStyle })}
                options={[
                  { value: 'vancouver', label: 'Vancouver (numbered)' },
                  { value: 'harvard', label: 'Harvard (author and year)' },
                ]}
              />
              <Choices
                kind="checkbox"
                name="isPublic"
                label="Public page"
                state={emptyForm({ isPublic: briefing.isPublic ? 'true' : '' })}
                options={[{ value: 'true', label: 'Publish this output on a public page once delivered', hint: 'Anyone with the address can read it; no account needed' }]}
              />
              <Button secondary>Save settings</Button>
            </form>
          </div>
        </details>
      ) : null}
      {data.canEdit ? <ReadabilityPanel readability={data.readability} audience={templateDefinitions[briefing.template].audience.replace('_', ' ')} /> : null}
      <DocumentView document={document} />
      {data.canComment || data.comments.length > 0 ? (
        <section aria-labelledby="comments-heading">
          <h2 id="comments-heading">Review comments</h2>
          {data.comments.length === 0 ? <p>No comments yet.</p> : null}
          <ul class="app-thread" id="briefing-comments">
            {data.comments.map((comment) => (
              <li class="app-thread__item">
                <p class="app-thread__meta">
                  {comment.author.name} on version {comment.version}
                  {comment.sectionKey ? `, ${comment.sectionKey.replace(/_/g, ' ')}` : ''}, {formatDateTime(comment.createdAt)}
                </p>
                <p class="app-thread__body">{comment.body}</p>
              </li>
            ))}
          </ul>
          {data.canComment ? (
            <form method="post" action={`/briefings/${briefing.id}/comments`} novalidate>
              <CsrfField token={context.csrfToken} />
              <Select
                name="sectionKey"
                label="Section"
                placeholder="The whole briefing"
                state={emptyForm()}
                options={data.version.sections.map((section) => ({ value: section.key, label: section.heading }))}
              />
              <div class="nhsuk-form-group">
                <label class="nhsuk-label" for="comment-body">
                  Your comment
                </label>
                <textarea class="nhsuk-textarea" id="comment-body" name="body" rows={3}></textarea>
              </div>
              <Button secondary>Add comment</Button>
            </form>
          ) : null}
        </section>
      ) : null}
      {data.canEdit ? (
        <section aria-labelledby="versions-heading">
          <h2 id="versions-heading">Versions</h2>
          <form method="get" action={`/briefings/${briefing.id}/compare`} class="app-filters">
            <Select name="from" label="Compare version" state={emptyForm({ from: String(Math.max(1, briefing.currentVersion - 1)) })} options={data.versions.map((v) => ({ value: String(v.version), label: String(v.version) }))} />
            <Select name="to" label="with version" state={emptyForm({ to: String(briefing.currentVersion) })} options={data.versions.map((v) => ({ value: String(v.version), label: String(v.version) }))} />
            <Button secondary>Compare</Button>
          </form>
          <ul class="nhsuk-list" id="versions">
            {data.versions.map((version) => (
              <li>
                <a href={`/briefings/${briefing.id}?version=${version.version}`}>Version {version.version}</a>: {version.createdBy.name}, {formatDateTime(version.createdAt)}
                {version.note ? ` (${version.note})` : ''}
              </li>
            ))}
          </ul>
          <h3>Status history</h3>
          <ul class="nhsuk-list" id="briefing-history">
            {data.events.map((event) => (
              <li>
                {briefingStatusLabels[event.to]}: {event.actor}, {formatDateTime(event.at)}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </Layout>
  );
};

export const EditBriefingPage = ({
  context,
  briefing,
  version,
  records,
  form,
  readability,
  baseVersion = version.version,
  conflict,
}: {
  context: PageContext;
  briefing: Briefing;
  version: BriefingVersion;
  records: EvidenceRecord[];
  form: FormState;
  readability: SectionReadability[];
  /** The version a save starts from, sent back so that it cannot overwrite a newer one unseen: the shown version's unless given. */
  baseVersion?: number;
  /** After a save refused because someone else saved first: their text and changes, shown beside the user's. */
  conflict?: EditConflictView | undefined;
}) => {
  const merges = new Map((conflict?.sections ?? []).map((section) => [section.key, section]));
  const hasMerges = conflict?.sections.some((section) => section.kind === 'both') ?? false;
  const guidance = new Map(templateDefinitions[briefing.template].sections.map((section) => [section.key, section.guidance]));
  const byId = new Map(records.map((record) => [record.id as string, record]));
  // A save numbers the next version only when it starts from the current one; from an older one (a form
  // refused as invalid after someone else saved) it will be refused as a conflict, so no number is promised.
  const savesNextVersion = baseVersion === version.version;
  return (
    <Layout title={`Edit ${briefing.title}`} context={context} hasErrors={Object.keys(form.errors).length > 0}>
      <ErrorSummary errors={form.errors} />
      <span class="nhsuk-caption-l">{briefing.reference}</span>
      <h1>Edit the briefing</h1>
      {conflict ? <EditConflictSummary conflict={conflict} /> : null}
      {baseVersion < version.version ? (
        <div class="nhsuk-inset-text" id="newer-version">
          <span class="nhsuk-u-visually-hidden">Information: </span>
          <p>
            Someone saved version {version.version} after you opened version {baseVersion}. Saving will not write over their text: it will be refused, with your text kept
            here, so that you can check theirs first.
          </p>
        </div>
      ) : null}
      <div class="nhsuk-grid-row">
        <div class={hasMerges ? 'nhsuk-grid-column-full' : 'nhsuk-grid-column-two-thirds'}>
          <form method="post" action={`/briefings/${briefing.id}/edit`} novalidate>
            <CsrfField token={context.csrfToken} />
            <input type="hidden" name="baseVersion" value={String(baseVersion)} />
            {version.sections.map((section) => {
              const name = `section.${section.key}`;
              const error = form.errors[name];
              const value = form.values[name];
              const merge = merges.get(section.key);
              const textarea = (describedBy: string) => (
                <textarea class="nhsuk-textarea" id={name} name={name} rows={6} aria-describedby={`${name}-hint${describedBy}${error ? ` ${name}-error` : ''}`}>
                  {typeof value === 'string' ? value : section.body}
                </textarea>
              );
              return (
                <div class={`nhsuk-form-group${error ? ' nhsuk-form-group--error' : ''}`} data-merge={merge?.kind}>
                  <label class="nhsuk-label nhsuk-label--s" for={name}>
                    {section.heading}
                  </label>
                  <div class="nhsuk-hint" id={`${name}-hint`}>
                    {guidance.get(section.key) ?? ''}
                  </div>
                  {error ? (
                    <span class="nhsuk-error-message" id={`${name}-error`}>
                      <span class="nhsuk-u-visually-hidden">Error: </span>
                      {error}
                    </span>
                  ) : null}
                  {conflict && merge?.kind === 'both' ? (
                    <div class="nhsuk-grid-row app-conflict">
                      <div class="nhsuk-grid-column-one-half">
                        <h3 class="nhsuk-heading-xs" id={`${name}-yours`}>
                          Your unsaved text
                        </h3>
                        {textarea(` ${name}-yours`)}
                      </div>
                      <div class="nhsuk-grid-column-one-half">
                        <TheirText name={name} section={merge} conflict={conflict} />
                      </div>
                    </div>
                  ) : conflict && merge?.kind === 'theirs' ? (
                    <>
                      <p class="nhsuk-body-s" id={`${name}-merge`}>
                        You had not changed this section, so it now holds {conflict.current.createdBy.name}’s text from version {conflict.current.version}.
                      </p>
                      {textarea(` ${name}-merge`)}
                      <details class="nhsuk-details">
                        <summary class="nhsuk-details__summary">
                          <span class="nhsuk-details__summary-text">What they changed in “{section.heading}”</span>
                        </summary>
                        <div class="nhsuk-details__text">
                          <TheirChanges name={name} section={merge} baseVersion={conflict.baseVersion} />
                        </div>
                      </details>
                    </>
                  ) : (
                    textarea('')
                  )}
                </div>
              );
            })}
            <TextInput name="note" label="What changed (optional)" hint="Kept with this version" state={form} />
            <Button>{savesNextVersion ? `Save as version ${version.version + 1}` : 'Save your changes'}</Button>
          </form>
        </div>
        <div class="nhsuk-grid-column-one-third">
          <aside aria-labelledby="evidence-heading">
            <h2 class="nhsuk-heading-s" id="evidence-heading">
              Evidence to cite
            </h2>
            <p class="nhsuk-body-s">
              Write <code>[@1]</code> after a claim to cite the first record, <code>[@1, @3]</code> for several.
            </p>
            <p class="nhsuk-body-s" id="table-hint">
              For a table, write a header row such as <code>| Study | Finding |</code>, then <code>|---|---|</code> (<code>|---:|</code> to align a column right), then one row a line. Cells
              can cite records too.
            </p>
            {briefing.recordIds.length === 0 ? <p class="nhsuk-body-s">No evidence yet: pin records to the need, or include records in the review.</p> : null}
            <ol class="app-evidence-list" id="evidence-list">
              {briefing.recordIds.map((id) => {
                const record = byId.get(id);
                return record ? (
                  <li>
                    {record.title} <span class="nhsuk-body-s">({[shortAuthors(record.authors), citationLine(record)].filter(Boolean).join('. ')})</span>
                  </li>
                ) : null;
              })}
            </ol>
          </aside>
          <ReadabilityPanel readability={readability} audience={templateDefinitions[briefing.template].audience.replace('_', ' ')} />
        </div>
      </div>
    </Layout>
  );
};

export const CompareVersionsPage = ({
  context,
  briefing,
  comparison,
}: {
  context: PageContext;
  briefing: Briefing;
  comparison: { from: BriefingVersion; to: BriefingVersion; sections: { key: string; heading: string; changes: WordChange[]; isChanged: boolean }[] };
}) => (
  <Layout title={`Compare versions of ${briefing.title}`} context={context}>
    <span class="nhsuk-caption-l">{briefing.reference}</span>
    <h1>
      Version {comparison.from.version} and version {comparison.to.version}
    </h1>
    <p>
      Words removed are struck through; words added are underlined. <a href={`/briefings/${briefing.id}`}>Back to the briefing</a>
    </p>
    {comparison.sections.map((section) => (
      <section aria-labelledby={`diff-${section.key}`} data-changed={section.isChanged ? 'true' : 'false'}>
        <h2 id={`diff-${section.key}`}>
          {section.heading}
          {section.isChanged ? '' : ' (unchanged)'}
        </h2>
        <p class="app-diff">
          <WordChanges changes={section.changes} />
        </p>
      </section>
    ))}
  </Layout>
);

export const PublicBriefingPage = ({ context, document }: { context: PageContext; document: BriefingDocument }) => (
  <Layout title={document.title} context={context}>
    <span class="nhsuk-caption-l">{document.subtitle}</span>
    <h1>{document.title}</h1>
    <p class="nhsuk-body-s">
      {document.authors.join(', ')}, {document.date}
    </p>
    <DocumentView document={document} />
  </Layout>
);
