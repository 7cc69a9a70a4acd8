import type { ExportFormat, ImportFormat, ParseEvent, RecordFields } from '../../core/evidence/record.js';
import { parseBibtex } from './bibtex.js';
import { writeBibtex } from './bibtex-writer.js';
import { parseCslJson } from './csl-json.js';
import { writeCslJson } from './csl-json-writer.js';
import { parseCsv } from './csv.js';
import { writeCsv } from './csv-writer.js';
import { parseEndnoteTagged } from './endnote-tagged.js';
import { parseEndnoteXml } from './endnote-xml.js';
import { parseMedline } from './medline.js';
import { parsePubmedXml } from './pubmed-xml.js';
import { parseRis } from './ris.js';
import { writeRis } from './ris-writer.js';
import { parseWos } from './wos.js';

export type Parser = (chunks: AsyncIterable<string>) => AsyncGenerator<ParseEvent>;
export type Writer = (records: Iterable<RecordFields>) => Generator<string>;

export const parsers: Record<ImportFormat, Parser> = {
  ris: parseRis,
  medline: parseMedline,
  wos: parseWos,
  'pubmed-xml': parsePubmedXml,
  'endnote-xml': parseEndnoteXml,
  'endnote-tagged': parseEndnoteTagged,
  bibtex: parseBibtex,
  csv: parseCsv,
  'csl-json': parseCslJson,
};

export const writers: Record<ExportFormat, { write: Writer; contentType: string; extension: string }> = {
  ris: { write: writeRis, contentType: 'application/x-research-info-systems; charset=utf-8', extension: 'ris' },
  csv: { write: writeCsv, contentType: 'text/csv; charset=utf-8', extension: 'csv' },
  'csl-json': { write: writeCslJson, contentType: 'application/vnd.citationstyles.csl+json; charset=utf-8', extension: 'json' },
  bibtex: { write: writeBibtex, contentType: 'application/x-bibtex; charset=utf-8', extension: 'bib' },
};
