import type { ParseEvent, RecordFields } from '../../core/evidence/record.js';
import { assignDefined } from './normalise.js';
import { pubmedRoots, startPubmedDraft, type PubmedDraft } from './pubmed-xml-rules.js';
import { parseXmlRecords, type XmlRecordFormat } from './xml-records.js';

/**
 * PubMed XML, as efetch returns it and as the annual baseline ships it (DTD pubmed_250101):
 * `PubmedArticleSet` of `PubmedArticle` and `PubmedBookArticle`, and the older
 * `MedlineCitationSet` of bare `MedlineCitation`s. A single record as the root is accepted too.
 *
 * Choices, where the format leaves room:
 * - MeSH terms follow MEDLINE text's MH lines, so a record reads the same imported from either
 *   (medline.ts): one term per heading, `Descriptor/qualifier/qualifier`, without the `*` that
 *   marks major topics (`Kidney Diseases/diagnosis/therapy`).
 * - A book chapter's title is its ArticleTitle and `journal` the book; a whole book's title is
 *   the BookTitle. Chapter authors come first, else the book's authors; editors are not authors.
 * - Only identifiers of the record itself count: the ArticleIds inside ReferenceList (cited works)
 *   and the PMIDs in CommentsCorrections are skipped.
 * - `sourceDatabase` is MEDLINE for citations with Status MEDLINE (or OLDMEDLINE, also indexed
 *   for MEDLINE), PubMed otherwise (in process, publisher-supplied, PubMed-not-MEDLINE, books).
 * - The title is ArticleTitle, else VernacularTitle (also when ArticleTitle is PubMed's
 *   "[Not Available]." placeholder); a record with neither is `invalid`.
 * - Inline markup (`<i>`, `<sub>`, MathML) is reduced to its text; PersonalNameSubject (whom an
 *   article is about), investigators, affiliations and grants are not imported.
 */

const pages = (draft: PubmedDraft): string | undefined => {
  if (draft.medlinePgn !== undefined || draft.startPage === undefined) {
    return draft.medlinePgn;
  }
  return draft.endPage === undefined ? draft.startPage : `${draft.startPage}-${draft.endPage}`;
};

const finish = (draft: PubmedDraft): ParseEvent => {
  const pmid = draft.pmid ?? draft.articleIdPmid;
  const ownTitle = draft.title ?? draft.vernacularTitle;
  const title = ownTitle ?? (draft.isBook ? draft.bookTitle : undefined);
  if (title === undefined) {
    return { kind: 'invalid', line: draft.line, message: `PubMed record ${pmid === undefined ? 'without PMID' : `PMID ${pmid}`} has no title` };
  }
  const fields: RecordFields = {
    title,
    authors: draft.authors.length > 0 ? draft.authors : draft.bookAuthors,
    publicationTypes: draft.publicationTypes,
    keywords: draft.keywords,
    meshTerms: draft.meshTerms,
    sourceDatabase: draft.isMedline ? 'MEDLINE' : 'PubMed',
  };
  return {
    kind: 'record',
    line: draft.line,
    fields: assignDefined(fields, {
      abstract: draft.abstractParts.length > 0 ? draft.abstractParts.join('\n') : undefined,
      year: draft.pubYear ?? draft.medlineDateYear ?? draft.articleYear,
      // A chapter appeared in its book; a whole book appeared in no container.
      journal: draft.isBook ? (ownTitle === undefined ? undefined : draft.bookTitle) : (draft.journal ?? draft.isoAbbreviation),
      volume: draft.volume,
      issue: draft.issue,
      pages: pages(draft),
      doi: draft.locationDoi ?? draft.articleIdDoi,
      pmid,
      pmcid: draft.pmcid,
      url: draft.url,
      language: draft.language,
      issn: draft.issn ?? draft.issnLinking,
      publisher: draft.publisher,
    }),
  };
};

/** The rules for PubMed XML, exported so tests can run them through the saxes tokenizer too. */
export const pubmedXmlFormat: XmlRecordFormat<PubmedDraft> = {
  name: 'PubMed XML (PubmedArticleSet)',
  roots: pubmedRoots,
  explainRoot: (name) =>
    name === 'article' || name === 'pmc-articleset' ? 'a JATS full-text article from PubMed Central, not PubMed citations' : undefined,
  start: startPubmedDraft,
  finish,
};

/** Streams PubMed XML records, one `record` or `invalid` event per article or book, in file order. */
export const parsePubmedXml = (chunks: AsyncIterable<string>): AsyncGenerator<ParseEvent> => parseXmlRecords(chunks, pubmedXmlFormat);
