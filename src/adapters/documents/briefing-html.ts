import { columnCountOf, type Block, type BriefingDocument, type Inline } from '../../core/briefings/document.js';
import { displayDate, joinNames, listedReferences } from './briefing-parts.js';

/**
 * A briefing as one accessible HTML page to download and share: lang="en-GB", one h1 and an h2 per
 * section, tables with column headers (and their captions), citations that link to their reference, and
 * no scripts or outside requests (the style sheet is inline). Everything from the briefing is
 * escaped. The page is also well-formed XML (polyglot markup), which the tests rely on.
 */

const escapeHtml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

const idPart = (key: string): string => key.replace(/[^A-Za-z0-9_-]/g, '-');

const STYLE = `
body { margin: 0; background: #f0f4f5; color: #212b32; font-family: Arial, sans-serif; font-size: 1.1875rem; line-height: 1.5; }
main { max-width: 46rem; margin: 0 auto; padding: 2rem 1.5rem 3rem; background: #ffffff; }
h1 { font-size: 2.25rem; line-height: 1.2; margin: 0 0 0.5rem; }
h2 { font-size: 1.5rem; line-height: 1.3; margin: 2rem 0 0.75rem; color: #005eb8; }
.subtitle { font-size: 1.3rem; margin: 0 0 1rem; }
.details { color: #4c6272; font-size: 1rem; margin: 0 0 0.25rem; }
.audience { border-left: 0.5rem solid #005eb8; padding: 0.5rem 1rem; background: #e8edee; font-weight: bold; }
a { color: #005eb8; }
a:focus { outline: 3px solid #ffeb3b; background: #ffeb3b; color: #212b32; }
table { border-collapse: collapse; width: 100%; margin: 0 0 1.5rem; font-size: 1rem; }
caption { text-align: left; font-weight: bold; padding: 0 0 0.5rem; }
th, td { border: 1px solid #aeb7bd; padding: 0.5rem; text-align: left; vertical-align: top; }
th { background: #f0f4f5; }
th.align-left, td.align-left { text-align: left; }
th.align-centre, td.align-centre { text-align: center; }
th.align-right, td.align-right { text-align: right; }
.references li { margin-bottom: 0.5rem; overflow-wrap: anywhere; }
ul.references { list-style: none; padding-left: 0; }
@media print { body { background: #ffffff; } main { padding: 0; } a { color: inherit; } }
`;

const referenceId = (number: number): string => `ref-${number}`;

const citationHtml = (numbers: readonly number[], document: BriefingDocument): string => {
  const links = numbers.map((number) => {
    const label = document.citationStyle === 'vancouver' ? String(number) : (document.inTextLabels[number - 1] ?? String(number));
    const name = document.citationStyle === 'vancouver' ? ` aria-label="Reference ${number}"` : '';
    return `<a href="#${referenceId(number)}"${name}>${escapeHtml(label)}</a>`;
  });
  return document.citationStyle === 'vancouver' ? `[${links.join(', ')}]` : `(${links.join('; ')})`;
};

const inlineHtml = (content: readonly Inline[], document: BriefingDocument): string =>
  content
    .map((inline) => {
      if (inline.kind === 'cite') {
        return inline.numbers.length > 0 ? citationHtml(inline.numbers, document) : '';
      }
      let html = escapeHtml(inline.text);
      if (inline.emphasis === true) {
        html = `<em>${html}</em>`;
      }
      return inline.strong === true ? `<strong>${html}</strong>` : html;
    })
    .join('');

const blockHtml = (block: Block, document: BriefingDocument): string => {
  switch (block.kind) {
    case 'paragraph':
      return `<p>${inlineHtml(block.content, document)}</p>`;
    case 'list': {
      const tag = block.ordered ? 'ol' : 'ul';
      return `<${tag}>\n${block.items.map((item) => `<li>${inlineHtml(item, document)}</li>`).join('\n')}\n</${tag}>`;
    }
    case 'table': {
      const align = (index: number): string => {
        const alignment = block.alignments?.[index];
        return alignment === undefined ? '' : ` class="align-${alignment}"`;
      };
      // Every cell is written, even in a row longer than the header (the header gets empty cells).
      const columns = Array.from({ length: columnCountOf(block) }, (_, index) => index);
      const header = columns.map((index) => `<th scope="col"${align(index)}>${inlineHtml(block.header[index] ?? [], document)}</th>`).join('');
      const rows = block.rows.map((row) => `<tr>${columns.map((index) => `<td${align(index)}>${inlineHtml(row[index] ?? [], document)}</td>`).join('')}</tr>`);
      const caption = block.caption === undefined ? '' : `\n<caption>${escapeHtml(block.caption)}</caption>`;
      return `<table>${caption}\n<thead><tr>${header}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
    }
  }
};

const URL_OR_DOI = /https?:\/\/[^\s<>"]*[^\s<>".,;:)\]]|doi:\s?(10\.\d{4,9}\/[^\s<>"]*[^\s<>".,;:)\]])/g;

/** A reference with its web addresses and DOIs as links; the rest escaped. */
const linkedReference = (text: string): string => {
  let html = '';
  let last = 0;
  for (const match of text.matchAll(URL_OR_DOI)) {
    const doi = match[1];
    const href = doi !== undefined ? `https://doi.org/${encodeURIComponent(doi).replace(/%2F/g, '/')}` : match[0];
    html += `${escapeHtml(text.slice(last, match.index))}<a href="${escapeHtml(href)}">${escapeHtml(match[0])}</a>`;
    last = match.index + match[0].length;
  }
  return html + escapeHtml(text.slice(last));
};

const referencesHtml = (document: BriefingDocument): string => {
  if (document.references.length === 0) {
    return '';
  }
  const tag = document.citationStyle === 'vancouver' ? 'ol' : 'ul';
  const items = listedReferences(document).map((reference) => `<li id="${referenceId(reference.number)}">${linkedReference(reference.text)}</li>`);
  return `<section aria-labelledby="references">\n<h2 id="references">References</h2>\n<${tag} class="references">\n${items.join('\n')}\n</${tag}>\n</section>`;
};

const headerHtml = (document: BriefingDocument): string => {
  const authors = document.authors.length > 0 ? `<p class="details">Prepared by ${escapeHtml(joinNames(document.authors))}</p>` : '';
  const date = /^\d{4}-\d{2}-\d{2}$/.test(document.date) ? `<time datetime="${escapeHtml(document.date)}">${escapeHtml(displayDate(document.date))}</time>` : escapeHtml(document.date);
  return [
    '<header>',
    `<h1>${escapeHtml(document.title)}</h1>`,
    document.subtitle !== '' ? `<p class="subtitle">${escapeHtml(document.subtitle)}</p>` : '',
    authors,
    `<p class="details">${date}</p>`,
    document.needReference !== undefined ? `<p class="details">In answer to need ${escapeHtml(document.needReference)}</p>` : '',
    document.audienceNote !== undefined ? `<p class="audience">${escapeHtml(document.audienceNote)}</p>` : '',
    '</header>',
  ]
    .filter((line) => line !== '')
    .join('\n');
};

/** The briefing as a standalone HTML page (UTF-8). */
export const renderBriefingHtml = (document: BriefingDocument): string => {
  const sections = document.sections.map((section) => {
    const id = `section-${idPart(section.key)}`;
    return `<section aria-labelledby="${id}">\n<h2 id="${id}">${escapeHtml(section.heading)}</h2>\n${section.blocks.map((block) => blockHtml(block, document)).join('\n')}\n</section>`;
  });
  return [
    '<!DOCTYPE html>',
    `<html xmlns="http://www.w3.org/1999/xhtml" lang="${escapeHtml(document.language)}" xml:lang="${escapeHtml(document.language)}">`,
    '<head>',
    '<meta charset="utf-8" />',
    '<meta name="viewport" content="width=device-width, initial-scale=1" />',
    `<title>${escapeHtml(document.title)}</title>`,
    document.subtitle !== '' ? `<meta name="description" content="${escapeHtml(document.subtitle)}" />` : '',
    document.authors.length > 0 ? `<meta name="author" content="${escapeHtml(document.authors.join(', '))}" />` : '',
    '<meta name="generator" content="Mobilise" />',
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    '<article>',
    headerHtml(document),
    ...sections,
    referencesHtml(document),
    '</article>',
    '</main>',
    '</body>',
    '</html>',
    '',
  ]
    .filter((line, index, lines) => line !== '' || index === lines.length - 1)
    .join('\n');
};
