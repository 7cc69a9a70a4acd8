import { cleanText, normaliseDoi, normaliseIssn, normalisePmcid, normalisePmid, parseYear, pushUnique } from './normalise.js';
import { children, type ElementRule } from './xml-records.js';
import type { XmlTag } from './xml-tokens.js';

/**
 * Which PubMed XML elements the importer reads, as rules per element path (see pubmed-xml.ts for
 * the choices they implement). Everything else, such as affiliations, reference lists and history
 * dates, is skipped unread.
 */

interface AuthorParts {
  isValid: boolean;
  lastName?: string;
  foreName?: string;
  initials?: string;
  collectiveName?: string;
}

/** What the rules collect for one record; pubmed-xml.ts turns it into RecordFields. */
export interface PubmedDraft {
  readonly line: number;
  isBook: boolean;
  isMedline: boolean;
  /** The attribute the element being read depends on: IdType, EIdType or Label. */
  attribute: string | undefined;
  pmid?: string;
  articleIdPmid?: string;
  title?: string;
  vernacularTitle?: string;
  bookTitle?: string;
  abstractParts: string[];
  authors: string[];
  bookAuthors: string[];
  /** Where the current AuthorList's names go; undefined for editors. */
  authorTarget: string[] | undefined;
  author: AuthorParts;
  pubYear?: number;
  medlineDateYear?: number;
  articleYear?: number;
  journal?: string;
  isoAbbreviation?: string;
  volume?: string;
  issue?: string;
  medlinePgn?: string;
  startPage?: string;
  endPage?: string;
  locationDoi?: string;
  articleIdDoi?: string;
  pmcid?: string;
  url?: string;
  language?: string;
  issn?: string;
  issnLinking?: string;
  publisher?: string;
  publicationTypes: string[];
  keywords: string[];
  meshTerms: string[];
  meshDescriptor?: string;
  meshQualifiers: string;
}

type Rule = ElementRule<PubmedDraft>;

const element = (rules: Record<string, Rule>, hooks: Omit<Rule, 'children'> = {}): Rule => ({ ...hooks, children: children(rules) });
const field = (text: (draft: PubmedDraft, text: string) => void, enter?: (draft: PubmedDraft, tag: XmlTag) => void): Rule =>
  enter === undefined ? { text } : { text, enter };
const remember =
  (attribute: string) =>
  (draft: PubmedDraft, tag: XmlTag): void => {
    draft.attribute = tag.attribute(attribute);
  };

/** PubMed writes this placeholder when only the vernacular title exists. */
const isPlaceholderTitle = (title: string): boolean => /^\[?not available\]?\.?$/i.test(title);

const pubDate = element({
  Year: field((draft, text) => {
    draft.pubYear ??= parseYear(text);
  }),
  MedlineDate: field((draft, text) => {
    draft.medlineDateYear ??= parseYear(text);
  }),
});

const title = field((draft, text) => {
  const cleaned = cleanText(text);
  if (cleaned !== undefined && !isPlaceholderTitle(cleaned)) {
    draft.title ??= cleaned;
  }
});
const vernacularTitle = field((draft, text) => {
  draft.vernacularTitle ??= cleanText(text);
});

const pagination = element({
  MedlinePgn: field((draft, text) => {
    draft.medlinePgn ??= cleanText(text);
  }),
  StartPage: field((draft, text) => {
    draft.startPage ??= cleanText(text);
  }),
  EndPage: field((draft, text) => {
    draft.endPage ??= cleanText(text);
  }),
});

const locationId = field((draft, text) => {
  if (draft.attribute === 'doi') {
    draft.locationDoi ??= normaliseDoi(text);
  }
}, remember('EIdType'));

const abstract = element({
  AbstractText: field((draft, text) => {
    const cleaned = cleanText(text);
    if (cleaned !== undefined) {
      const label = cleanText(draft.attribute);
      // NLM labels the unstructured part of a partly structured abstract UNLABELLED; PubMed hides it.
      const isLabelled = label !== undefined && label !== 'UNLABELLED';
      draft.abstractParts.push(isLabelled ? `${label}: ${cleaned}` : cleaned);
    }
  }, remember('Label')),
});

const author = element(
  {
    LastName: field((draft, text) => {
      draft.author.lastName = cleanText(text);
    }),
    ForeName: field((draft, text) => {
      draft.author.foreName = cleanText(text);
    }),
    Initials: field((draft, text) => {
      draft.author.initials = cleanText(text);
    }),
    CollectiveName: field((draft, text) => {
      draft.author.collectiveName = cleanText(text);
    }),
  },
  {
    enter: (draft, tag) => {
      // NLM keeps corrected author names with ValidYN="N"; PubMed does not show them.
      draft.author = { isValid: tag.attribute('ValidYN') !== 'N' };
    },
    leave: (draft) => {
      const { isValid, lastName, foreName, initials, collectiveName } = draft.author;
      if (!isValid || draft.authorTarget === undefined) {
        return;
      }
      const given = foreName ?? initials;
      const name = collectiveName ?? (lastName !== undefined && given !== undefined ? `${lastName}, ${given}` : lastName);
      pushUnique(draft.authorTarget, name);
    },
  },
);

const authorList = (target: (draft: PubmedDraft) => string[]): Rule =>
  element(
    { Author: author },
    {
      enter: (draft, tag) => {
        draft.authorTarget = tag.attribute('Type') === 'editors' ? undefined : target(draft);
      },
    },
  );

const language = field((draft, text) => {
  draft.language ??= cleanText(text);
});
const publicationType = field((draft, text) => {
  pushUnique(draft.publicationTypes, text);
});
const keywordList = element({
  Keyword: field((draft, text) => {
    pushUnique(draft.keywords, text);
  }),
});
const pmid = field((draft, text) => {
  // Versioned citations list the PMID once per version: the last is the current one.
  draft.pmid = normalisePmid(text) ?? draft.pmid;
});

const articleIdList = element({
  ArticleId: field((draft, text) => {
    switch (draft.attribute) {
      case 'pubmed':
        draft.articleIdPmid ??= normalisePmid(text);
        break;
      case 'doi':
        draft.articleIdDoi ??= normaliseDoi(text);
        break;
      case 'pmc':
        draft.pmcid ??= normalisePmcid(text);
        break;
      case 'url':
        draft.url ??= cleanText(text);
        break;
      default:
        break;
    }
  }, remember('IdType')),
});

const meshHeadingList = element({
  MeshHeading: element(
    {
      DescriptorName: field((draft, text) => {
        draft.meshDescriptor = cleanText(text);
      }),
      QualifierName: field((draft, text) => {
        const name = cleanText(text);
        if (name !== undefined) {
          draft.meshQualifiers += `/${name}`;
        }
      }),
    },
    {
      enter: (draft) => {
        draft.meshDescriptor = undefined;
        draft.meshQualifiers = '';
      },
      leave: (draft) => {
        if (draft.meshDescriptor !== undefined) {
          pushUnique(draft.meshTerms, `${draft.meshDescriptor}${draft.meshQualifiers}`);
        }
      },
    },
  ),
});

const article = element({
  Journal: element({
    ISSN: field((draft, text) => {
      draft.issn ??= normaliseIssn(text);
    }),
    JournalIssue: element({
      Volume: field((draft, text) => {
        draft.volume ??= cleanText(text);
      }),
      Issue: field((draft, text) => {
        draft.issue ??= cleanText(text);
      }),
      PubDate: pubDate,
    }),
    Title: field((draft, text) => {
      draft.journal ??= cleanText(text);
    }),
    ISOAbbreviation: field((draft, text) => {
      draft.isoAbbreviation ??= cleanText(text);
    }),
  }),
  ArticleTitle: title,
  VernacularTitle: vernacularTitle,
  Pagination: pagination,
  ELocationID: locationId,
  Abstract: abstract,
  AuthorList: authorList((draft) => draft.authors),
  Language: language,
  PublicationTypeList: element({ PublicationType: publicationType }),
  ArticleDate: element({
    Year: field((draft, text) => {
      draft.articleYear ??= parseYear(text);
    }),
  }),
});

const citation = element(
  {
    PMID: pmid,
    Article: article,
    MedlineJournalInfo: element({
      ISSNLinking: field((draft, text) => {
        draft.issnLinking ??= normaliseIssn(text);
      }),
    }),
    MeshHeadingList: meshHeadingList,
    KeywordList: keywordList,
  },
  {
    enter: (draft, tag) => {
      const status = tag.attribute('Status');
      draft.isMedline = status === 'MEDLINE' || status === 'OLDMEDLINE';
    },
  },
);

const pubmedData = element({ ArticleIdList: articleIdList });

const book = element({
  Publisher: element({
    PublisherName: field((draft, text) => {
      draft.publisher ??= cleanText(text);
    }),
  }),
  BookTitle: field((draft, text) => {
    draft.bookTitle ??= cleanText(text);
  }),
  PubDate: pubDate,
  AuthorList: authorList((draft) => draft.bookAuthors),
  Volume: field((draft, text) => {
    draft.volume ??= cleanText(text);
  }),
  ELocationID: locationId,
});

const bookDocument = element({
  PMID: pmid,
  ArticleIdList: articleIdList,
  Book: book,
  ArticleTitle: title,
  VernacularTitle: vernacularTitle,
  Pagination: pagination,
  ELocationID: locationId,
  Language: language,
  AuthorList: authorList((draft) => draft.authors),
  PublicationType: publicationType,
  Abstract: abstract,
  KeywordList: keywordList,
});

const pubmedArticle = element({ MedlineCitation: citation, PubmedData: pubmedData }, { isRecord: true });
const pubmedBookArticle = element(
  { BookDocument: bookDocument, PubmedBookData: pubmedData },
  {
    isRecord: true,
    enter: (draft) => {
      draft.isBook = true;
    },
  },
);
const medlineCitation: Rule = { ...citation, isRecord: true };
const articleSet = element({ PubmedArticle: pubmedArticle, PubmedBookArticle: pubmedBookArticle });

/** An empty draft for the record element that starts at `line`. */
export const startPubmedDraft = (line: number): PubmedDraft => ({
  line,
  isBook: false,
  isMedline: false,
  attribute: undefined,
  abstractParts: [],
  authors: [],
  bookAuthors: [],
  authorTarget: undefined,
  author: { isValid: true },
  publicationTypes: [],
  keywords: [],
  meshTerms: [],
  meshQualifiers: '',
});

/** The root elements efetch, the baseline and older MEDLINE files start with. */
export const pubmedRoots = children({
  PubmedArticleSet: articleSet,
  PubmedBookArticleSet: articleSet,
  MedlineCitationSet: element({ MedlineCitation: medlineCitation }),
  PubmedArticle: pubmedArticle,
  PubmedBookArticle: pubmedBookArticle,
  MedlineCitation: medlineCitation,
});
