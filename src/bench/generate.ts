import { createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import type { ExportFormat, ImportFormat, RecordFields } from '../core/evidence/record.js';
import { emptyRecord } from '../core/evidence/record.js';
import { writers } from '../adapters/formats/registry.js';

/** A small deterministic PRNG (mulberry32), so that every run generates the same files. */
export const seededRandom = (seed: number) => () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let value = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  value = (value + Math.imul(value ^ (value >>> 7), 61 | value)) ^ value;
  return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
};

/**
 * Real titles and abstracts to draw from (the Cohen screening sets) so that generated records have
 * the vocabulary and lengths of real ones; a fixed synthetic sample when the data is absent.
 */
export const loadSamples = (screeningDir: string): { title: string; abstract: string; authors: string }[] => {
  const dir = join(screeningDir, 'cohen2006');
  if (!existsSync(dir)) {
    return Array.from({ length: 50 }, (_, index) => ({
      title: `Effect of intervention ${index} on outcomes in older adults: a randomised controlled trial`,
      abstract: 'BACKGROUND: Loneliness is common. METHODS: We randomly assigned 400 adults to befriending or usual care. RESULTS: Loneliness fell. CONCLUSIONS: Befriending helps.'.repeat(3),
      authors: 'A Smith; B Jones; C Patel',
    }));
  }
  const samples: { title: string; abstract: string; authors: string }[] = [];
  for (const file of readdirSync(dir).filter((name) => name.endsWith('.csv')).slice(0, 3)) {
    const lines = readFileSync(join(dir, file), 'utf8').split('\n');
    for (const line of lines.slice(1, 1500)) {
      // Cheap split good enough for sampling: record_id,pubmedID,"title","authors","abstract",...
      const match = /^\d+,\d+,("(?:[^"]|"")*"|[^,]*),("(?:[^"]|"")*"|[^,]*),("(?:[^"]|"")*"|[^,]*),/.exec(line);
      if (match?.[1] && match[3] && match[3].length > 200) {
        const unquote = (text: string) => text.replace(/^"|"$/g, '').replace(/""/g, '"');
        samples.push({ title: unquote(match[1]), authors: unquote(match[2] ?? ''), abstract: unquote(match[3]) });
      }
    }
  }
  return samples;
};

const mesh = ['Humans', 'Aged', 'Female', 'Male', 'Middle Aged', 'Adult', 'Treatment Outcome', 'Double-Blind Method', 'Randomized Controlled Trials as Topic', 'Cohort Studies'];

/** The i-th generated record: a real title and abstract with a unique suffix and plausible fields. */
export const generatedRecord = (samples: ReturnType<typeof loadSamples>, random: () => number, index: number): RecordFields => {
  const sample = samples[Math.floor(random() * samples.length)] ?? samples[0];
  return {
    ...emptyRecord(),
    title: `${sample?.title ?? 'Title'} (${index})`,
    abstract: sample?.abstract,
    authors: (sample?.authors ?? 'A Smith').split(';').map((author) => author.trim()).filter(Boolean).slice(0, 8),
    year: 1990 + Math.floor(random() * 35),
    journal: 'Journal of Applied Health Research',
    volume: String(1 + Math.floor(random() * 60)),
    issue: String(1 + Math.floor(random() * 12)),
    pages: `${100 + index % 900}-${110 + index % 900}`,
    doi: `10.1000/bench.${index}`,
    pmid: String(10_000_000 + index),
    language: 'eng',
    publicationTypes: ['Journal Article'],
    keywords: ['loneliness', 'older adults', 'befriending'].slice(0, 1 + Math.floor(random() * 3)),
    meshTerms: mesh.filter(() => random() < 0.4),
    sourceDatabase: 'MEDLINE',
  };
};

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Writers for the formats we only import: enough of each format to exercise the parser. Every import
 * format without an exporter must have one here (the type says so), or the benchmark could not write it.
 */
const importOnly: Record<Exclude<ImportFormat, ExportFormat>, { head: string; record: (record: RecordFields) => string; tail: string }> = {
  'pubmed-xml': {
    head: '<?xml version="1.0" encoding="UTF-8"?>\n<PubmedArticleSet>\n',
    record: (record) =>
      `<PubmedArticle><MedlineCitation Status="MEDLINE" Owner="NLM"><PMID Version="1">${record.pmid}</PMID><Article PubModel="Print"><Journal><JournalIssue CitedMedium="Print"><Volume>${record.volume}</Volume><Issue>${record.issue}</Issue><PubDate><Year>${record.year}</Year></PubDate></JournalIssue><Title>${escapeXml(record.journal ?? '')}</Title></Journal><ArticleTitle>${escapeXml(record.title)}</ArticleTitle><Pagination><MedlinePgn>${record.pages}</MedlinePgn></Pagination><ELocationID EIdType="doi" ValidYN="Y">${record.doi}</ELocationID><Abstract><AbstractText>${escapeXml(record.abstract ?? '')}</AbstractText></Abstract><AuthorList CompleteYN="Y">${record.authors
        .map((author) => `<Author ValidYN="Y"><LastName>${escapeXml(author.split(' ').at(-1) ?? author)}</LastName><ForeName>${escapeXml(author.split(' ').slice(0, -1).join(' '))}</ForeName></Author>`)
        .join('')}</AuthorList><Language>eng</Language><PublicationTypeList><PublicationType UI="D016428">Journal Article</PublicationType></PublicationTypeList></Article><MeshHeadingList>${record.meshTerms
        .map((term) => `<MeshHeading><DescriptorName UI="D000000" MajorTopicYN="N">${escapeXml(term)}</DescriptorName></MeshHeading>`)
        .join('')}</MeshHeadingList></MedlineCitation><PubmedData><ArticleIdList><ArticleId IdType="pubmed">${record.pmid}</ArticleId><ArticleId IdType="doi">${record.doi}</ArticleId></ArticleIdList></PubmedData></PubmedArticle>\n`,
    tail: '</PubmedArticleSet>\n',
  },
  medline: {
    head: '',
    record: (record) =>
      [
        `PMID- ${record.pmid}`,
        `TI  - ${record.title}`,
        `AB  - ${(record.abstract ?? '').replace(/(.{1,80})(\s|$)/g, '$1\n      ').trimEnd()}`,
        ...record.authors.map((author) => `FAU - ${author}`),
        `DP  - ${record.year}`,
        `JT  - ${record.journal}`,
        `VI  - ${record.volume}`,
        `IP  - ${record.issue}`,
        `PG  - ${record.pages}`,
        `LID - ${record.doi} [doi]`,
        ...record.meshTerms.map((term) => `MH  - ${term}`),
        'PT  - Journal Article',
        'LA  - eng',
        '',
        '',
      ].join('\n'),
    tail: '',
  },
  'endnote-xml': {
    head: '<?xml version="1.0" encoding="UTF-8"?><xml><records>\n',
    record: (record) =>
      `<record><ref-type name="Journal Article">17</ref-type><contributors><authors>${record.authors.map((author) => `<author><style face="normal" font="default" size="100%">${escapeXml(author)}</style></author>`).join('')}</authors></contributors><titles><title><style face="normal" font="default" size="100%">${escapeXml(record.title)}</style></title><secondary-title>${escapeXml(record.journal ?? '')}</secondary-title></titles><pages>${record.pages}</pages><volume>${record.volume}</volume><number>${record.issue}</number><dates><year>${record.year}</year></dates><electronic-resource-num>${record.doi}</electronic-resource-num><abstract>${escapeXml(record.abstract ?? '')}</abstract></record>\n`,
    tail: '</records></xml>\n',
  },
  // Web of Science plain text: two-character tags, continuation lines indented by three spaces.
  wos: {
    head: 'FN Clarivate Analytics Web of Science\nVR 1.0\n',
    record: (record) =>
      [
        'PT J',
        `AU ${record.authors.join('\n   ')}`,
        `TI ${record.title}`,
        `SO ${record.journal}`,
        'LA English',
        'DT Article',
        `DE ${record.keywords.join('; ')}`,
        `AB ${record.abstract ?? ''}`,
        `PY ${record.year}`,
        `VL ${record.volume}`,
        `IS ${record.issue}`,
        `BP ${record.pages?.split('-')[0] ?? ''}`,
        `EP ${record.pages?.split('-')[1] ?? ''}`,
        `DI ${record.doi}`,
        `PM ${record.pmid}`,
        `UT WOS:${String(record.pmid).padStart(15, '0')}`,
        'ER',
        '',
        '',
      ].join('\n'),
    tail: 'EF\n',
  },
  'endnote-tagged': {
    head: '',
    record: (record) =>
      [
        '%0 Journal Article',
        `%T ${record.title}`,
        ...record.authors.map((author) => `%A ${author}`),
        `%D ${record.year}`,
        `%J ${record.journal}`,
        `%V ${record.volume}`,
        `%N ${record.issue}`,
        `%P ${record.pages}`,
        `%R ${record.doi}`,
        `%X ${record.abstract ?? ''}`,
        '',
        '',
      ].join('\n'),
    tail: '',
  },
};

/** Writes `count` generated records in `format` to `path`, streaming (never the whole file in memory). */
export const writeGeneratedFile = async (format: ImportFormat, path: string, count: number, samples: ReturnType<typeof loadSamples>): Promise<void> => {
  const out = createWriteStream(path);
  const random = seededRandom(42);
  const write = async (text: string) => {
    if (!out.write(text)) {
      await once(out, 'drain');
    }
  };
  const custom = format in importOnly ? importOnly[format as keyof typeof importOnly] : undefined;
  const batch = 1000;
  if (custom) {
    await write(custom.head);
  }
  for (let start = 0; start < count; start += batch) {
    const records = Array.from({ length: Math.min(batch, count - start) }, (_, offset) => generatedRecord(samples, random, start + offset));
    if (custom) {
      await write(records.map(custom.record).join(''));
    } else {
      const writer = writers[format as 'ris' | 'csv' | 'csl-json' | 'bibtex'].write;
      let text = [...writer(records)].join('');
      // Writers produce whole files; later batches drop the CSV header and join the JSON arrays.
      if (format === 'csv' && start > 0) {
        text = text.slice(text.indexOf('\n') + 1);
      }
      if (format === 'csl-json') {
        text = text.trim().replace(/^\[/, start === 0 ? '[' : ',').replace(/\]$/, start + batch >= count ? ']' : '');
      }
      await write(text);
    }
  }
  if (custom) {
    await write(custom.tail);
  }
  out.end();
  await once(out, 'finish');
};
