import type { ImportFormat } from '../../core/evidence/record.js';

/** How much of a file detection reads: enough to pass a preamble, small enough to stay cheap. */
export const DETECT_BYTES = 16 * 1024;

const extensionHints: Record<string, ImportFormat> = {
  ris: 'ris',
  nbib: 'medline',
  medline: 'medline',
  isi: 'wos',
  enw: 'endnote-tagged',
  bib: 'bibtex',
  bibtex: 'bibtex',
  csv: 'csv',
  tsv: 'csv',
  tab: 'csv',
  json: 'csl-json',
};

/**
 * Detects a bibliographic format from the start of a file's content, not its name (exports are
 * often misnamed: `.txt` for RIS, MEDLINE and Web of Science alike). The name only breaks ties.
 * Returns undefined when the content matches no format we read.
 */
export const detectFormat = (head: string, fileName?: string): ImportFormat | undefined => {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text.startsWith('<')) {
    if (/<(PubmedArticleSet|PubmedArticle|PubmedBookArticle|MedlineCitationSet|MedlineCitation)[\s>]/.test(text)) {
      return 'pubmed-xml';
    }
    if (/<records?[\s>]/.test(text) && /<(ref-type|titles|contributors)[\s>]/.test(text)) {
      return 'endnote-xml';
    }
    return /<xml>\s*<records>/.test(text) ? 'endnote-xml' : undefined;
  }
  if (text.startsWith('[') || text.startsWith('{')) {
    return /"(title|type|author|DOI|issued)"\s*:/.test(text) ? 'csl-json' : undefined;
  }
  // Web of Science plain text names itself on its first line (`FN Clarivate Analytics Web of Science`,
  // `FN Thomson Reuters Web of Science™`, `FN ISI Export Format`).
  if (/^FN (Clarivate|Thomson|ISI|Web of Science)/.test(text)) {
    return 'wos';
  }
  const lines = text.split(/\r\n|\r|\n/, 400);
  if (lines.some((line) => /^TY {1,2}- ?/.test(line))) {
    return 'ris';
  }
  // MEDLINE tags are 2–4 capitals padded to four, then "- "; JabRef's tests show the padding may be missing.
  const medlineTag = /^(PMID|PMC|PMCR|OWN|STAT|TI|BTI|VTI|AB|FAU|AU|FED|ED|PT|JT|TA|DP|MH|OT|LA|AID|LID|PG|PL|IS|VI|IP|SO)\s*-/;
  if (lines.some((line) => /^PMID- ?\d/.test(line)) || lines.filter((line) => medlineTag.test(line)).length >= 3) {
    return 'medline';
  }
  // Without its header: `PT J` and `ER` lines and other two-letter tags followed by one space (RIS and
  // MEDLINE put a dash after the tag, so their lines do not match).
  const wosTag = /^(PT|AU|AF|TI|SO|AB|DE|ID|PY|UT|DI) (?![ -])|^ER\s*$/;
  if (lines.some((line) => /^PT [A-Z]\s*$/.test(line)) && lines.some((line) => /^ER\s*$/.test(line)) && lines.filter((line) => wosTag.test(line)).length >= 3) {
    return 'wos';
  }
  if (lines.some((line) => /^%0 /.test(line)) || lines.filter((line) => /^%[A-Z0-9@!#$&()*+^|~] /.test(line)).length >= 2) {
    return 'endnote-tagged';
  }
  if (/(^|\n)\s*@[A-Za-z]+\s*[{(]/.test(text)) {
    return 'bibtex';
  }
  const header = lines[0] ?? '';
  if (/[,;\t]/.test(header) && /(^|[,;\t"])\s*"?(title|primary[ _]title|article title|ti|abstract|doi)"?\s*([,;\t]|$)/i.test(header)) {
    return 'csv';
  }
  const extension = fileName?.toLowerCase().split('.').at(-1);
  return extension ? extensionHints[extension] : undefined;
};
