/**
 * RIS reference types (`TY`) and the words used for them as publication types. The names follow the
 * RIS specification's type list as EndNote and Zotero label them, so a type read from RIS and one read
 * from an EndNote export (`%0 Journal Article`) come out as the same word.
 */
export const risTypeNames: Readonly<Record<string, string>> = {
  ABST: 'Abstract',
  ADVS: 'Audiovisual Material',
  AGGR: 'Aggregated Database',
  ANCIENT: 'Ancient Text',
  ART: 'Artwork',
  BILL: 'Bill',
  BLOG: 'Blog',
  BOOK: 'Book',
  CASE: 'Case',
  CHAP: 'Book Section',
  CHART: 'Chart',
  CLSWK: 'Classical Work',
  COMP: 'Computer Program',
  CONF: 'Conference Proceedings',
  CPAPER: 'Conference Paper',
  CTLG: 'Catalog',
  DATA: 'Dataset',
  DBASE: 'Online Database',
  DICT: 'Dictionary',
  EBOOK: 'Electronic Book',
  ECHAP: 'Electronic Book Section',
  EDBOOK: 'Edited Book',
  EJOUR: 'Electronic Article',
  ELEC: 'Web Page',
  ENCYC: 'Encyclopedia',
  EQUA: 'Equation',
  FIGURE: 'Figure',
  GOVDOC: 'Government Document',
  GRANT: 'Grant',
  HEAR: 'Hearing',
  ICOMM: 'Internet Communication',
  INPR: 'In Press',
  JFULL: 'Journal',
  JOUR: 'Journal Article',
  LEGAL: 'Legal Rule or Regulation',
  MANSCPT: 'Manuscript',
  MAP: 'Map',
  MGZN: 'Magazine Article',
  MPCT: 'Film or Broadcast',
  MULTI: 'Online Multimedia',
  MUSIC: 'Music',
  NEWS: 'Newspaper Article',
  PAMP: 'Pamphlet',
  PAT: 'Patent',
  PCOMM: 'Personal Communication',
  RPRT: 'Report',
  SER: 'Serial',
  SLIDE: 'Slide',
  SOUND: 'Sound Recording',
  STAND: 'Standard',
  STAT: 'Statute',
  THES: 'Thesis',
  UNBILL: 'Unenacted Bill',
  UNPB: 'Unpublished Work',
  VIDEO: 'Video Recording',
  WEB: 'Web Page',
};

/**
 * The publication-type word for a `TY` value: the name of a known code, the value itself when it is
 * already a word (`TY  - Journal Article` occurs in the wild), nothing for `GEN` (it says nothing).
 */
export const publicationTypeForRisType = (type: string | undefined): string | undefined => {
  if (!type || type === 'GEN') {
    return undefined;
  }
  return risTypeNames[type] ?? type;
};

/** Reference types of other formats (BibTeX entry types, EndNote and PubMed words) → RIS codes. */
const risCodeForWord: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(risTypeNames).map(([code, name]) => [name.toLowerCase(), code])),
  generic: 'GEN',
  'web page': 'ELEC',
  article: 'JOUR',
  'journal articles': 'JOUR',
  book: 'BOOK',
  booklet: 'PAMP',
  inbook: 'CHAP',
  incollection: 'CHAP',
  'book chapter': 'CHAP',
  inproceedings: 'CPAPER',
  conference: 'CPAPER',
  proceedings: 'CONF',
  phdthesis: 'THES',
  mastersthesis: 'THES',
  techreport: 'RPRT',
  'technical report': 'RPRT',
  unpublished: 'UNPB',
  online: 'ELEC',
  misc: 'GEN',
};

/**
 * The RIS `TY` code for a record: its reference type when that already is a RIS code, else the code
 * for its reference type or first publication type as a word, else `GEN`.
 */
export const risTypeFor = (referenceType: string | undefined, publicationTypes: readonly string[]): string => {
  if (referenceType !== undefined && (referenceType === 'GEN' || Object.hasOwn(risTypeNames, referenceType))) {
    return referenceType;
  }
  for (const word of [referenceType, ...publicationTypes]) {
    const code = word === undefined ? undefined : risCodeForWord[word.trim().toLowerCase()];
    if (code !== undefined) {
      return code;
    }
  }
  return 'GEN';
};
