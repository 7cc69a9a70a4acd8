import { evidenceLevelLabels, studyDesignLabels, studyDesigns, type Classification } from '../../../core/evidence/classify.js';
import type { EvidenceRecord, RecordSource, RecordTheme } from '../../../core/evidence/types.js';
import { Button, Choices, CsrfField, ErrorSummary, Select, type FormState } from '../../components/form.js';
import { formatDateTime } from '../../format.js';
import { Layout } from '../../layout.js';
import type { PageContext } from '../../page-context.js';

const Row = ({ label, value }: { label: string; value: string | undefined }) =>
  value ? (
    <div class="nhsuk-summary-list__row">
      <dt class="nhsuk-summary-list__key">{label}</dt>
      <dd class="nhsuk-summary-list__value">{value}</dd>
    </div>
  ) : null;

export interface RecordPageProps {
  context: PageContext;
  record: EvidenceRecord;
  sources: RecordSource[];
  classification: Classification;
  /** For staff: every theme to choose from, and the themes form (as sent, with errors, after a failed save). */
  themeChoices?: { themes: RecordTheme[]; form: FormState } | undefined;
  /** For staff: the study design form (as sent, with errors, after a failed save). */
  designChoice?: { form: FormState } | undefined;
}

/** Where the record's design came from: a person (who and when) or the rules (why). */
export const designSource = (record: Pick<EvidenceRecord, 'studyDesignSetByHand'>, classification: Pick<Classification, 'reason'>): string =>
  record.studyDesignSetByHand
    ? `set by hand${record.studyDesignSetByHand.by ? ` by ${record.studyDesignSetByHand.by.name}` : ''} on ${formatDateTime(record.studyDesignSetByHand.at)}`
    : `graded automatically: ${classification.reason}`;

/**
 * Staff correct a misgraded design: choose one and save, or hand it back to the rules. Each is a plain
 * form post (no script needed), labelled for screen readers like the themes form.
 */
const DesignForm = ({ context, record, classification, form }: { context: PageContext; record: EvidenceRecord; classification: Classification; form: FormState }) => {
  const action = `/evidence/records/${record.id}/study-design`;
  const automatic = `${studyDesignLabels[classification.design]} (${classification.reason})`;
  return (
    <>
      <p>
        {record.studyDesignSetByHand
          ? `A person chose this design, so it is kept when the classification rules change and when duplicates merge. The rules would grade it: ${automatic}.`
          : 'The classification rules graded this design. If it is wrong, choose the right one: a design set by hand is kept when the rules change and when duplicates merge.'}
      </p>
      <form method="post" action={action} novalidate>
        <CsrfField token={context.csrfToken} />
        <Select
          name="studyDesign"
          label="Study design"
          hint="The library’s design filter, search and the evidence level follow it."
          state={form}
          options={studyDesigns.map((design) => ({ value: design, label: studyDesignLabels[design] }))}
        />
        <Button secondary>Save study design</Button>
      </form>
      {record.studyDesignSetByHand ? (
        <form method="post" action={action}>
          <CsrfField token={context.csrfToken} />
          <input type="hidden" name="studyDesign" value="automatic" />
          <Button secondary>Use the automatic grade</Button>
        </form>
      ) : null}
    </>
  );
};

const ThemesForm = ({ context, record, themes, form }: { context: PageContext; record: EvidenceRecord; themes: RecordTheme[]; form: FormState }) =>
  themes.length === 0 ? (
    <p>
      No research themes exist yet. <a href="/themes">Add themes</a> to tag records with them.
    </p>
  ) : (
    <form method="post" action={`/evidence/records/${record.id}/themes`} novalidate>
      <CsrfField token={context.csrfToken} />
      <Choices
        kind="checkbox"
        name="themeIds"
        label="Themes this record is about"
        hint="The library, search and the evidence matched to needs can be filtered by theme."
        small
        state={form}
        options={themes.map((theme) => ({ value: theme.id, label: theme.name }))}
      />
      <Button secondary>Save themes</Button>
    </form>
  );

export const RecordPage = ({ context, record, sources, classification, themeChoices, designChoice }: RecordPageProps) => {
  const errors = { ...themeChoices?.form.errors, ...designChoice?.form.errors };
  return (
    <Layout title={record.title} context={context} hasErrors={Object.keys(errors).length > 0}>
      <ErrorSummary errors={errors} />
      <span class="nhsuk-caption-l">{studyDesignLabels[record.studyDesign]}</span>
      <h1 class="nhsuk-heading-l">{record.title}</h1>
      <dl class="nhsuk-summary-list">
        <Row label="Authors" value={record.authors.join('; ')} />
        <Row label="Year" value={record.year?.toString()} />
        <Row label="Journal or source" value={record.journal} />
        <Row label="Volume, issue, pages" value={[record.volume, record.issue && `(${record.issue})`, record.pages].filter(Boolean).join(' ')} />
        <Row label="DOI" value={record.doi} />
        <Row label="PMID" value={record.pmid} />
        <Row label="PMCID" value={record.pmcid} />
        <Row label="Language" value={record.language} />
        <Row label="Study design" value={`${studyDesignLabels[record.studyDesign]} (${designSource(record, classification)})`} />
        <Row label="Evidence level" value={record.evidenceLevel ? evidenceLevelLabels[record.evidenceLevel] : 'Not graded on the evidence pyramid'} />
        <Row label="Publication types" value={record.publicationTypes.join('; ')} />
        <Row label="Keywords" value={record.keywords.join('; ')} />
        <Row label="MeSH terms" value={record.meshTerms.join('; ')} />
        <Row label="Source databases" value={record.sourceDatabases.join(', ')} />
        <Row label="Themes" value={record.themes.length > 0 ? record.themes.map((theme) => theme.name).join(', ') : 'None yet'} />
        <Row label="ISSN" value={record.issn} />
        <Row label="Publisher" value={record.publisher} />
      </dl>
      {record.doi ? (
        <p>
          <a href={`https://doi.org/${encodeURI(record.doi)}`}>Open the publisher’s page (doi.org)</a>
        </p>
      ) : record.url ? (
        <p>
          <a href={record.url}>Open the source</a>
        </p>
      ) : null}
      <h2>Abstract</h2>
      {record.abstract ? (
        record.abstract.split(/\n+/).map((paragraph) => <p>{paragraph}</p>)
      ) : (
        <p>No abstract.</p>
      )}
      {designChoice ? (
        <section aria-labelledby="design-heading">
          <h2 id="design-heading">Study design</h2>
          <DesignForm context={context} record={record} classification={classification} form={designChoice.form} />
        </section>
      ) : null}
      {themeChoices ? (
        <section aria-labelledby="themes-heading">
          <h2 id="themes-heading">Themes</h2>
          <ThemesForm context={context} record={record} themes={themeChoices.themes} form={themeChoices.form} />
        </section>
      ) : null}
      <h2>Where this record came from</h2>
      <table class="nhsuk-table">
        <caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Imports of this record</caption>
        <thead class="nhsuk-table__head">
          <tr class="nhsuk-table__row">
            <th class="nhsuk-table__header" scope="col">File</th>
            <th class="nhsuk-table__header" scope="col">Line</th>
            <th class="nhsuk-table__header" scope="col">Database</th>
            <th class="nhsuk-table__header" scope="col">Imported</th>
          </tr>
        </thead>
        <tbody class="nhsuk-table__body">
          {sources.map((source) => (
            <tr class="nhsuk-table__row">
              <td class="nhsuk-table__cell">
                {source.fileName ?? 'Added by hand'}
                {source.format ? ` (${source.format})` : ''}
              </td>
              <td class="nhsuk-table__cell">{source.line ?? ''}</td>
              <td class="nhsuk-table__cell">{source.sourceDatabase ?? 'Not stated'}</td>
              <td class="nhsuk-table__cell">{formatDateTime(source.at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
};
