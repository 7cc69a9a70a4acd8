import { stemmer } from 'stemmer';
import { foldLetters } from '../../core/shared/text.js';

/**
 * English tokenising for the evidence index: lower case, diacritics folded, hyphenated words split
 * and joined ("anti-inflammatory" gives "anti", "inflammatory" and "antiinflammatory"), stop words
 * dropped, British spellings mapped to American ones (so "paediatric" finds "pediatric"), then the
 * Porter stemmer (the `stemmer` package). Queries and documents go through the same function.
 */

// A common English stop list (after Lucene's and the SMART list's function words), without
// negations, which matter in clinical questions ("not", "no", "without").
export const stopWords = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by can ' +
    'could did do does doing down during each few for from further had has have having he her here hers herself him himself his ' +
    'how i if in into is it its itself just me more most my myself nor of off on once only or other our ours ourselves out over ' +
    'own same she should so some such than that the their theirs them themselves then there these they this those through to too ' +
    'under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves ' +
    'also et al may might must shall upon via whether within'
  ).split(' '),
);

// Whole-word British → American spellings where a rule would be unsafe.
const variants: Record<string, string> = {
  ageing: 'aging',
  programme: 'program',
  programmes: 'programs',
  behaviour: 'behavior',
  behaviours: 'behaviors',
  behavioural: 'behavioral',
  colour: 'color',
  favour: 'favor',
  favourable: 'favorable',
  honour: 'honor',
  humour: 'humor',
  labour: 'labor',
  neighbour: 'neighbor',
  neighbourhood: 'neighborhood',
  neighbourhoods: 'neighborhoods',
  odour: 'odor',
  rumour: 'rumor',
  tumour: 'tumor',
  tumours: 'tumors',
  vapour: 'vapor',
  vigour: 'vigor',
  oesophagus: 'esophagus',
  oesophageal: 'esophageal',
  oestrogen: 'estrogen',
  oestrogens: 'estrogens',
  oedema: 'edema',
  oestradiol: 'estradiol',
  foetus: 'fetus',
  foetal: 'fetal',
  coeliac: 'celiac',
  diarrhoea: 'diarrhea',
  dyspnoea: 'dyspnea',
  gonorrhoea: 'gonorrhea',
  amoeba: 'ameba',
  manoeuvre: 'maneuver',
  manoeuvres: 'maneuvers',
  grey: 'gray',
  mould: 'mold',
  plough: 'plow',
  sceptical: 'skeptical',
  tyre: 'tire',
  cheque: 'check',
  catalogue: 'catalog',
  analogue: 'analog',
  analogues: 'analogs',
  dialogue: 'dialog',
  signalling: 'signaling',
  signalled: 'signaled',
  enrolment: 'enrollment',
  fulfil: 'fulfill',
  practise: 'practice',
  licence: 'license',
  defence: 'defense',
  offence: 'offense',
};

// Words ending in -ise that are not the British -ize.
const iseExceptions = new Set(
  'advise advised advises advising exercise exercised exercises exercising promise promised promises precise concise expertise otherwise franchise enterprise surprise surprised surprising comprise comprised comprises compromise compromised premise premises revise revised supervise supervised supervising televise devise devised improvise merchandise noise poise raise raised praise wise rise arise paradise despise disguise chemise cerise anise'.split(' '),
);

const consonant = '[b-df-hj-np-tv-z]';
const aeInside = new RegExp(`(${consonant})ae(?=${consonant})`, 'g');

/** Maps a British spelling to the American one, by list then by rule; other words unchanged. */
export const americanSpelling = (word: string): string => {
  const listed = variants[word];
  if (listed) {
    return listed;
  }
  let result = word;
  // paediatric, anaemia, haemoglobin, orthopaedic, ischaemia, leukaemia, gynaecology, aetiology
  if (result.includes('ae')) {
    result = result.replace(/^aet/, 'et').replace(aeInside, '$1e');
  }
  // randomised, organisation, hospitalising, characterise
  if (!iseExceptions.has(result)) {
    result = result.replace(/^(\w{3,})is(e|ed|es|ing|ation|ations|er|ers)$/, '$1iz$2');
  }
  // centre, litre, fibre, metre, theatre (not "acre", "genre")
  result = result.replace(/^(\w{2,}[^aeiou])tre(s?)$/, '$1ter$2').replace(/^(\w{2,})bre(s?)$/, '$1ber$2');
  // counselling, modelling, travelled, labelled, cancelled
  result = result.replace(/^(\w{3,}e)ll(ing|ed|er|ers)$/, '$1l$2');
  return result;
};


export interface Token {
  /** The indexed form: normalised and stemmed. */
  term: string;
  /** Where the word came from in the text (UTF-16 offsets), for highlighting. */
  start: number;
  end: number;
  /** Position in the token stream, for phrases; the joined form of a hyphenated word shares the last part's. */
  position: number;
}

/** Normalises one word (lower case, folded) into its index term, or undefined for a stop word. */
export const termOf = (word: string): string | undefined => {
  if (word.length === 0 || stopWords.has(word)) {
    return undefined;
  }
  return stemmer(americanSpelling(word));
};

const fold = foldLetters;

/**
 * Memo of word (as written) → term ('' for a stop word): folding, spelling and stemming cost far
 * more than a lookup, and a corpus repeats a small vocabulary. Bounded: emptied when full.
 */
const termCache = new Map<string, string>();
const TERM_CACHE_LIMIT = 200_000;

/** The term of one word as written (folded, spelled the American way, stemmed), '' for a stop word. */
const cachedTerm = (word: string): string => {
  let term = termCache.get(word);
  if (term === undefined) {
    term = termOf(fold(word)) ?? '';
    if (termCache.size >= TERM_CACHE_LIMIT) {
      termCache.clear();
    }
    // A long substring can be a view into the whole text it came from: keep a copy, not the text.
    termCache.set(word.length >= 13 ? ` ${word}`.slice(1) : word, term);
  }
  return term;
};

// Runs of letters and digits, optionally joined by hyphens: "anti-inflammatory", "covid-19".
const wordPattern = /[\p{L}\p{N}]+(?:[-‐‑][\p{L}\p{N}]+)*/gu;
const hyphen = /[-‐‑]/;

/**
 * Splits text into tokens with their offsets. Folding may change the length of a string (ß → ss),
 * so words are found in the original text and folded one by one.
 */
export const tokenize = (text: string): Token[] => {
  const tokens: Token[] = [];
  let position = 0;
  for (const match of text.matchAll(wordPattern)) {
    const start = match.index;
    const raw = match[0];
    const parts = raw.split(hyphen);
    let offset = start;
    for (const part of parts) {
      const term = cachedTerm(part);
      if (term) {
        tokens.push({ term, start: offset, end: offset + part.length, position });
      }
      position += 1;
      offset += part.length + 1;
    }
    if (parts.length > 1) {
      const joined = cachedTerm(parts.join(''));
      if (joined) {
        tokens.push({ term: joined, start, end: start + raw.length, position: position - 1 });
      }
    }
  }
  return tokens;
};

/** Just the terms, for indexing: the same as tokenize's, without building tokens. */
export const terms = (text: string): string[] => {
  const found: string[] = [];
  const pattern = new RegExp(wordPattern);
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    const raw = match[0];
    if (!hyphen.test(raw)) {
      const term = cachedTerm(raw);
      if (term) {
        found.push(term);
      }
      continue;
    }
    const parts = raw.split(hyphen);
    for (const part of parts) {
      const term = cachedTerm(part);
      if (term) {
        found.push(term);
      }
    }
    const joined = cachedTerm(parts.join(''));
    if (joined) {
      found.push(joined);
    }
  }
  return found;
};
