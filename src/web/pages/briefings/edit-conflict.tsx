import type { EditConflict, SectionMerge } from '../../../core/briefings/conflict.js';
import { formatDateTime } from '../../format.js';
import { WordChanges } from './word-changes.js';

/** The conflict as the editor shows it: the core's merge, and its hint for the user. */
export type EditConflictView = EditConflict & { hint: string | undefined };

const SectionLinks = ({ sections }: { sections: SectionMerge[] }) => (
  <>
    {sections.map((section, index) => (
      <>
        {index > 0 ? ', ' : ''}
        <a href={`#section.${section.key}`}>{section.heading}</a>
      </>
    ))}
  </>
);

/** Above the editor: who saved what while the user was editing, and what the editor now holds. */
export const EditConflictSummary = ({ conflict }: { conflict: EditConflictView }) => {
  const both = conflict.sections.filter((section) => section.kind === 'both');
  const theirs = conflict.sections.filter((section) => section.kind === 'theirs');
  const { current } = conflict;
  return (
    <div class="nhsuk-warning-callout" id="edit-conflict">
      <h2 class="nhsuk-warning-callout__label" id="edit-conflict-heading">
        <span role="text">
          <span class="nhsuk-u-visually-hidden">Important: </span>
          {current.createdBy.name} saved version {current.version} while you were editing
        </span>
      </h2>
      <p>
        {current.version - conflict.baseVersion === 1 ? `Version ${current.version}` : `Versions ${conflict.baseVersion + 1} to ${current.version}`} came after the version you opened (
        {conflict.baseVersion}); the latest was saved {formatDateTime(current.createdAt)}
        {current.note ? `, noted “${current.note}”` : ''}. Nothing you typed has been saved yet, and nothing of theirs was overwritten.
      </p>
      {conflict.hint ? <p id="edit-conflict-hint">{conflict.hint}.</p> : null}
      <ul>
        {both.length > 0 ? (
          <li>
            You both changed <SectionLinks sections={both} />: their saved text and what they changed are shown beside yours. Merge them by hand in your text.
          </li>
        ) : null}
        {theirs.length > 0 ? (
          <li>
            Only they changed <SectionLinks sections={theirs} />: the editor now holds their text there.
          </li>
        ) : null}
        <li>Sections only you changed keep your text.</li>
      </ul>
      <p>Saving makes version {current.version + 1} from the text in the editor.</p>
    </div>
  );
};

/** Beside the user's text in a section both changed: the other person's saved text, and what they changed. */
export const TheirText = ({ name, section, conflict }: { name: string; section: SectionMerge; conflict: EditConflictView }) => (
  <section class="app-conflict__theirs" aria-labelledby={`${name}-theirs-heading`} data-section={section.key}>
    <h3 class="nhsuk-heading-xs" id={`${name}-theirs-heading`}>
      Their saved text (version {conflict.current.version}, {conflict.current.createdBy.name})
    </h3>
    <div class="app-conflict__text" id={`${name}-theirs`}>
      {section.theirs}
    </div>
    <TheirChanges name={name} section={section} baseVersion={conflict.baseVersion} />
  </section>
);

/** What the other person changed in a section, from the version the user opened. */
export const TheirChanges = ({ name, section, baseVersion }: { name: string; section: SectionMerge; baseVersion: number }) => (
  <>
    <h3 class="nhsuk-heading-xs" id={`${name}-changes-heading`}>
      What they changed since version {baseVersion}
    </h3>
    <p class="nhsuk-body-s">Words removed are struck through; words added are underlined.</p>
    <p class="app-diff" id={`${name}-changes`}>
      <WordChanges changes={section.changes} />
    </p>
  </>
);
