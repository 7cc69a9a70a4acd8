import type { RecordFields } from './record.js';

export const studyDesigns = [
  'guideline',
  'systematic_review',
  'rct',
  'cohort',
  'case_control',
  'cross_sectional',
  'qualitative',
  'economic_evaluation',
  'case_report',
  'editorial',
  'other',
] as const;
export type StudyDesign = (typeof studyDesigns)[number];

export const studyDesignLabels: Record<StudyDesign, string> = {
  guideline: 'Guideline',
  systematic_review: 'Systematic review or meta-analysis',
  rct: 'Randomised controlled trial',
  cohort: 'Cohort study',
  case_control: 'Case-control study',
  cross_sectional: 'Cross-sectional study',
  qualitative: 'Qualitative study',
  economic_evaluation: 'Economic evaluation',
  case_report: 'Case report or series',
  editorial: 'Editorial or opinion',
  other: 'Other',
};

/**
 * The usual evidence pyramid for questions of effectiveness, 1 at the top: syntheses and
 * guidelines, then trials, cohort, case-control, cross-sectional and case studies, then opinion.
 * Qualitative research and economic evaluations answer other questions and are not graded on it.
 */
export const evidenceLevelOf: Record<StudyDesign, number | undefined> = {
  guideline: 1,
  systematic_review: 1,
  rct: 2,
  cohort: 3,
  case_control: 4,
  cross_sectional: 5,
  case_report: 5,
  editorial: 6,
  qualitative: undefined,
  economic_evaluation: undefined,
  other: undefined,
};

export const evidenceLevelLabels: Record<number, string> = {
  1: 'Level 1: guidelines and evidence syntheses',
  2: 'Level 2: randomised controlled trials',
  3: 'Level 3: cohort studies',
  4: 'Level 4: case-control studies',
  5: 'Level 5: cross-sectional studies, case reports and series',
  6: 'Level 6: expert opinion and editorials',
};

export interface Classification {
  design: StudyDesign;
  level: number | undefined;
  /** Why: the publication type, MeSH heading or phrase that decided. */
  reason: string;
}

type Rule = [StudyDesign, RegExp];

// PubMed publication types (and their equivalents in other databases), most specific first.
const publicationTypeRules: Rule[] = [
  ['guideline', /\b(practice guideline|guideline|consensus development conference)\b/i],
  ['systematic_review', /\b(systematic review|meta-analysis|meta analysis|network meta-analysis)\b/i],
  ['rct', /\b(randomi[sz]ed controlled trial|pragmatic clinical trial|equivalence trial)\b/i],
  ['economic_evaluation', /\b(cost-benefit|cost-effectiveness|economic evaluation)\b/i],
  ['case_report', /\b(case reports?)\b/i],
  ['editorial', /\b(editorial|comment|letter|news|interview|biography)\b/i],
];

// MeSH headings that describe the study itself (not "… as Topic", which describes the subject).
// Indexers also put "Prospective Studies" or "Surveys and Questionnaires" on trials, so these rank
// below a trial or review named in the abstract.
const meshRules: Rule[] = [
  ['economic_evaluation', /^(cost-benefit analysis|cost-effectiveness analysis|quality-adjusted life years)\b/i],
  ['case_control', /^case-control studies\b/i],
  ['cohort', /^(cohort studies|prospective studies|longitudinal studies|follow-up studies|retrospective studies)\b/i],
  ['cross_sectional', /^(cross-sectional studies|health surveys|surveys and questionnaires)\b/i],
  ['qualitative', /^(qualitative research|focus groups|grounded theory)\b/i],
];
const strongDesigns = new Set<StudyDesign>(['guideline', 'systematic_review', 'economic_evaluation', 'rct']);

// Phrases in the title or abstract, in order of precedence.
const textRules: Rule[] = [
  ['guideline', /\b(clinical (practice )?guidelines?|guideline (development|recommendations)|consensus statement|position statement)\b/i],
  ['systematic_review', /\b(systematic(ally)? review|meta-?analys[ie]s|umbrella review|scoping review|cochrane review|pooled analysis of (randomi[sz]ed )?trials)\b/i],
  ['economic_evaluation', /\b(cost[- ]effectiveness|cost[- ]utility|cost[- ]benefit|economic evaluation|incremental cost|QALYs?)\b/i],
  // "randomised controlled trial", "randomized, open-label, multicentre trial", …
  ['rct', /\b(randomi[sz]ed(,? [\w-]+){0,4},? (trial|study)|randomly (assigned|allocated)|randomi[sz]ation)\b/i],
  ['case_control', /\b(case[- ]control|matched controls)\b/i],
  ['cohort', /\b(cohort|prospective(ly)? (study|follow)|longitudinal study|followed up for|retrospective (study|analysis|review of))\b/i],
  ['cross_sectional', /\b(cross[- ]sectional|survey|questionnaire study|prevalence study)\b/i],
  ['qualitative', /\b(qualitative|semi-structured interviews|focus groups?|thematic analysis|grounded theory|interpretative phenomenological)\b/i],
  ['case_report', /\b(case report|we (report|describe|present) (a|an|the|two|three) (case|patient)|case series)\b/i],
  ['editorial', /\b(editorial|commentary|viewpoint|opinion|perspective)\b/i],
];

const firstMatch = (rules: Rule[], texts: readonly string[]): [StudyDesign, string] | undefined => {
  for (const [design, pattern] of rules) {
    for (const text of texts) {
      const match = pattern.exec(text);
      if (match) {
        return [design, match[0]];
      }
    }
  }
  return undefined;
};

/**
 * Classifies a record's study design from, in order of reliability, its publication types, its
 * title, a trial or synthesis named in its abstract, its MeSH headings, then other phrases in the
 * abstract. "Review" alone is not a systematic review.
 */
export const classifyRecord = (fields: Pick<RecordFields, 'title' | 'abstract' | 'publicationTypes' | 'meshTerms'>): Classification => {
  const decide = (design: StudyDesign, reason: string): Classification => ({ design, level: evidenceLevelOf[design], reason });
  const byType = firstMatch(publicationTypeRules, fields.publicationTypes);
  if (byType) {
    return decide(byType[0], `publication type "${byType[1]}"`);
  }
  const headings = fields.meshTerms.map((term) => term.replace(/^\*/, ''));
  const byMesh = firstMatch(meshRules, headings);
  const byTitle = firstMatch(textRules, [fields.title]);
  // A design named in the title outranks MeSH, which indexers apply to the whole paper.
  if (byTitle) {
    return decide(byTitle[0], `title says "${byTitle[1]}"`);
  }
  const byAbstract = firstMatch(textRules, [fields.abstract ?? '']);
  if (byAbstract && strongDesigns.has(byAbstract[0])) {
    return decide(byAbstract[0], `abstract says "${byAbstract[1]}"`);
  }
  if (byMesh) {
    return decide(byMesh[0], `MeSH heading "${byMesh[1]}"`);
  }
  if (byAbstract) {
    return decide(byAbstract[0], `abstract says "${byAbstract[1]}"`);
  }
  return decide('other', 'no design named');
};
