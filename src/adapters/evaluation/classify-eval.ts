import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyRecord, studyDesigns, type StudyDesign } from '../../core/evidence/classify.js';
import type { RecordFields } from '../../core/evidence/record.js';
import { detectFormat } from '../formats/detect.js';
import { FormatError } from '../formats/format-error.js';
import { fromString } from '../formats/lines.js';
import { parsers } from '../formats/registry.js';

/**
 * Study-design classification against the design the record's own publication types name
 * (e.g. PubMed's "Randomized Controlled Trial"). The classifier is run with the publication types
 * hidden, so this measures what the other cues (MeSH, title, abstract) recover: the case of
 * databases and files that carry no publication type. Records whose types name no design
 * ("Journal Article" alone) have no ground truth and are left out; exact duplicates across fixture
 * files are counted once.
 */
export interface ClassifyEvaluation {
  records: number;
  correct: number;
  accuracy: number;
  byDesign: { design: StudyDesign; records: number; correct: number }[];
  mistakes: { title: string; truth: StudyDesign; predicted: StudyDesign; reason: string }[];
}

export const collectFixtureRecords = async (formatsDir: string): Promise<RecordFields[]> => {
  const records: RecordFields[] = [];
  const files = readdirSync(formatsDir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile());
  for (const entry of files) {
    const path = join(entry.parentPath, entry.name);
    const text = readFileSync(path, 'utf8');
    const format = detectFormat(text.slice(0, 16_384), path);
    if (!format) {
      continue;
    }
    try {
      for await (const event of parsers[format](fromString(text))) {
        if (event.kind === 'record') {
          records.push(event.fields);
        }
      }
    } catch (error) {
      // Files that are not valid in their format hold no ground truth.
      if (!(error instanceof FormatError)) {
        throw error;
      }
    }
  }
  return records;
};

export const evaluateClassification = (records: readonly RecordFields[]): ClassifyEvaluation => {
  const seen = new Set<string>();
  const byDesign = new Map<StudyDesign, { records: number; correct: number }>();
  const mistakes: ClassifyEvaluation['mistakes'] = [];
  let total = 0;
  let correct = 0;
  for (const record of records) {
    const truth = classifyRecord({ title: '', publicationTypes: record.publicationTypes, meshTerms: [] });
    if (!truth.reason.startsWith('publication type') || seen.has(record.title.toLowerCase())) {
      continue;
    }
    seen.add(record.title.toLowerCase());
    const predicted = classifyRecord({ ...record, publicationTypes: [] });
    total += 1;
    const tally = byDesign.get(truth.design) ?? { records: 0, correct: 0 };
    tally.records += 1;
    if (predicted.design === truth.design) {
      correct += 1;
      tally.correct += 1;
    } else {
      mistakes.push({ title: record.title.slice(0, 120), truth: truth.design, predicted: predicted.design, reason: predicted.reason });
    }
    byDesign.set(truth.design, tally);
  }
  return {
    records: total,
    correct,
    accuracy: total === 0 ? 0 : Math.round((correct / total) * 10_000) / 10_000,
    byDesign: studyDesigns.flatMap((design) => {
      const tally = byDesign.get(design);
      return tally ? [{ design, ...tally }] : [];
    }),
    mistakes,
  };
};
