import { evidenceLevelLabels, studyDesignLabels } from '../../core/evidence/classify.js';
import type { EvidenceRecord } from '../../core/evidence/types.js';

/** "Family, Given Names" as Vancouver writes it: "Family GN". Names without a comma stay as given. */
const vancouverName = (author: string): string => {
  const [family, given] = author.split(/,\s*/, 2);
  if (!given) {
    return author;
  }
  const initials = given
    .split(/[\s.-]+/)
    .filter(Boolean)
    .map((part) => part[0]?.toUpperCase() ?? '')
    .join('');
  return `${family} ${initials}`;
};

/** "Smith J, Jones K, Patel R, et al." as reference lists abbreviate authors. */
export const shortAuthors = (authors: readonly string[]): string => {
  const names = authors.slice(0, 3).map(vancouverName);
  return names.length === 0 ? 'No authors listed' : `${names.join(', ')}${authors.length > 3 ? ', et al.' : ''}`;
};

/** The authors as the first sentence of a citation: one full stop, also after "et al.". */
export const authorsSentence = (authors: readonly string[]): string => {
  const text = shortAuthors(authors);
  return text.endsWith('.') ? text : `${text}.`;
};

export const citationLine = (record: Pick<EvidenceRecord, 'journal' | 'year' | 'volume' | 'issue' | 'pages'>): string =>
  [record.journal, record.year, record.volume ? `${record.volume}${record.issue ? `(${record.issue})` : ''}` : undefined, record.pages].filter(Boolean).join('; ');

export const DesignTag = ({ record }: { record: Pick<EvidenceRecord, 'studyDesign' | 'evidenceLevel'> }) => (
  <>
    <strong class="nhsuk-tag nhsuk-tag--white">{studyDesignLabels[record.studyDesign]}</strong>{' '}
    {record.evidenceLevel ? (
      <strong class="nhsuk-tag nhsuk-tag--aqua-green" title={evidenceLevelLabels[record.evidenceLevel]}>
        Level {record.evidenceLevel}
      </strong>
    ) : null}
  </>
);

/** The research themes a record is tagged with, as one line of tags (nothing when it has none). */
export const ThemeTags = ({ record }: { record: Pick<EvidenceRecord, 'themes'> }) =>
  record.themes.length === 0 ? null : (
    <p class="nhsuk-body-s nhsuk-u-margin-bottom-2">
      <span class="nhsuk-u-visually-hidden">Themes: </span>
      {record.themes.map((theme, index) => (
        <>
          {index > 0 ? ' ' : ''}
          <strong class="nhsuk-tag nhsuk-tag--grey">{theme.name}</strong>
        </>
      ))}
    </p>
  );

/** A record in a list: title linked to its page, then authors, where it appeared and its themes. */
export const RecordSummary = ({ record, headingLevel = 3 }: { record: EvidenceRecord; headingLevel?: 2 | 3 }) => {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <div class="app-record">
      <Heading class="nhsuk-heading-s nhsuk-u-margin-bottom-1">
        <a href={`/evidence/records/${record.id}`}>{record.title}</a>
      </Heading>
      <p class="nhsuk-body-s nhsuk-u-margin-bottom-1">
        {authorsSentence(record.authors)} {citationLine(record)}
      </p>
      <p class="nhsuk-body-s nhsuk-u-margin-bottom-2">
        <DesignTag record={record} />
        {record.doi ? <span class="nhsuk-u-margin-left-2">DOI {record.doi}</span> : null}
        {record.pmid ? <span class="nhsuk-u-margin-left-2">PMID {record.pmid}</span> : null}
      </p>
      <ThemeTags record={record} />
    </div>
  );
};
