import { columnCountOf, type BriefingDocument, type Inline } from '../../../core/briefings/document.js';

/** Inline text with citations: Vancouver as linked numbers, Harvard as linked author–year labels. */
export const InlineText = ({ parts, document, idPrefix = '' }: { parts: Inline[]; document: Pick<BriefingDocument, 'citationStyle' | 'inTextLabels'>; idPrefix?: string }) => (
  <>
    {parts.map((part) =>
      part.kind === 'text' ? (
        part.strong ? (
          <strong>{part.text}</strong>
        ) : part.emphasis ? (
          <em>{part.text}</em>
        ) : (
          part.text
        )
      ) : document.citationStyle === 'harvard' ? (
        <span class="app-cite">
          (
          {part.numbers.map((number, index) => (
            <>
              {index > 0 ? '; ' : ''}
              <a href={`#${idPrefix}ref-${number}`}>{document.inTextLabels[number - 1] ?? number}</a>
            </>
          ))}
          )
        </span>
      ) : (
        <sup class="app-cite">
          [
          {part.numbers.map((number, index) => (
            <>
              {index > 0 ? ', ' : ''}
              <a href={`#${idPrefix}ref-${number}`} aria-label={`reference ${number}`}>
                {number}
              </a>
            </>
          ))}
          ]
        </sup>
      ),
    )}
  </>
);

/** A briefing as readers see it: the same document the exporters write. */
export const DocumentView = ({ document, headingLevel = 2, idPrefix = '' }: { document: BriefingDocument; headingLevel?: 2 | 3; idPrefix?: string }) => {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <article class="app-briefing" lang={document.language}>
      {document.audienceNote ? <p class="nhsuk-body-s">{document.audienceNote}</p> : null}
      {document.sections.map((section) => (
        <section aria-labelledby={`${idPrefix}section-${section.key}`} data-section={section.key}>
          <Heading id={`${idPrefix}section-${section.key}`}>{section.heading}</Heading>
          {section.blocks.map((block) => {
            if (block.kind === 'paragraph') {
              return (
                <p>
                  <InlineText parts={block.content} document={document} idPrefix={idPrefix} />
                </p>
              );
            }
            if (block.kind === 'list') {
              const items = block.items.map((item) => (
                <li>
                  <InlineText parts={item} document={document} idPrefix={idPrefix} />
                </li>
              ));
              return block.ordered ? <ol class="nhsuk-list nhsuk-list--number">{items}</ol> : <ul class="nhsuk-list nhsuk-list--bullet">{items}</ul>;
            }
            // Every cell is shown, even in a row longer than the header (the header gets empty cells).
            const columns = Array.from({ length: columnCountOf(block) }, (_, index) => index);
            const align = (index: number) => {
              const alignment = block.alignments?.[index];
              return alignment === undefined ? undefined : `app-align-${alignment}`;
            };
            return (
              <table class="nhsuk-table app-briefing-table">
                {block.caption === undefined ? null : <caption class="nhsuk-table__caption">{block.caption}</caption>}
                <thead>
                  <tr>
                    {columns.map((index) => (
                      <th scope="col" class={align(index)}>
                        <InlineText parts={block.header[index] ?? []} document={document} idPrefix={idPrefix} />
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {block.rows.map((row) => (
                    <tr>
                      {columns.map((index) => (
                        <td class={align(index)}>
                          <InlineText parts={row[index] ?? []} document={document} idPrefix={idPrefix} />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            );
          })}
        </section>
      ))}
      {document.references.length > 0 ? (
        <section aria-labelledby={`${idPrefix}references-heading`}>
          <Heading id={`${idPrefix}references-heading`}>References</Heading>
          <ol class="app-references">
            {document.references.map((reference, index) => (
              <li id={`${idPrefix}ref-${index + 1}`}>{reference}</li>
            ))}
          </ol>
        </section>
      ) : null}
    </article>
  );
};
