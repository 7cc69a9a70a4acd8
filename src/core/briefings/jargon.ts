/**
 * Health, social care and research jargon with plainer words, for the readability check of briefings.
 * Drawn from plain-language guidance for health writing (NHS digital service manual "health literacy"
 * and "words to avoid"; NIHR plain English summaries; Plain English Campaign's A to Z of alternative
 * words) and the words KM fellows most often have to translate for the public.
 *
 * Matching (`findJargon`, below) is by whole word or phrase and ignores case, except
 * for acronyms marked `isCaseSensitive` (so "NICE" is flagged, "nice" is not). A space in a term also
 * matches a hyphen, a hyphen may be left out ("follow up", "followup"), and the last word may take a
 * plural or verb ending (`cohorts`, `comorbidities`, `utilised`, `utilising`).
 */
export interface JargonTerm {
  term: string;
  plain: string;
  isCaseSensitive?: boolean;
}

const acronym = (term: string, plain: string): JargonTerm => ({ term, plain, isCaseSensitive: true });

const research: JargonTerm[] = [
  { term: 'randomised controlled trial', plain: 'a fair test comparing groups chosen by chance' },
  { term: 'randomized controlled trial', plain: 'a fair test comparing groups chosen by chance' },
  acronym('RCT', 'a fair test comparing groups chosen by chance'),
  { term: 'randomised', plain: 'chosen by chance' },
  { term: 'randomized', plain: 'chosen by chance' },
  { term: 'systematic review', plain: 'a careful summary of all the studies on a question' },
  { term: 'meta-analysis', plain: 'combining the results of several studies' },
  { term: 'meta-analyses', plain: 'combined results of several studies' },
  { term: 'cohort study', plain: 'a study that follows a group of people over time' },
  { term: 'cohort', plain: 'group' },
  { term: 'case-control study', plain: 'a study comparing people with and without a condition' },
  { term: 'cross-sectional study', plain: 'a study of a group of people at one point in time' },
  { term: 'observational study', plain: 'a study that watches what happens without changing anything' },
  { term: 'qualitative', plain: "based on people's views and experiences" },
  { term: 'quantitative', plain: 'based on numbers and measurements' },
  { term: 'mixed methods', plain: "using both numbers and people's views" },
  { term: 'statistically significant', plain: 'unlikely to be due to chance' },
  { term: 'statistical significance', plain: 'how unlikely a result is to be due to chance' },
  { term: 'confidence interval', plain: 'the range the true result is likely to lie in' },
  { term: 'p-value', plain: 'how likely a result is to be due to chance alone' },
  { term: 'odds ratio', plain: 'how much more likely something is in one group than another' },
  { term: 'relative risk', plain: 'how much more likely something is in one group than another' },
  { term: 'risk ratio', plain: 'how much more likely something is in one group than another' },
  { term: 'hazard ratio', plain: 'how much sooner something tends to happen in one group than another' },
  { term: 'absolute risk', plain: 'the chance of something happening' },
  { term: 'effect size', plain: 'how big a difference is' },
  { term: 'efficacy', plain: 'how well it works' },
  { term: 'efficacious', plain: 'works' },
  { term: 'effectiveness', plain: 'how well it works in everyday practice' },
  { term: 'cost-effectiveness', plain: 'value for money' },
  { term: 'cost-effective', plain: 'good value for money' },
  { term: 'intervention', plain: 'treatment or programme' },
  { term: 'comparator', plain: 'what it was compared with' },
  { term: 'control group', plain: 'the group that did not get the treatment' },
  { term: 'placebo', plain: 'a dummy treatment' },
  { term: 'baseline', plain: 'at the start' },
  { term: 'follow-up', plain: 'checking again later' },
  { term: 'loss to follow-up', plain: 'people dropping out of the study' },
  { term: 'attrition', plain: 'people dropping out' },
  { term: 'outcome measure', plain: 'what was measured' },
  { term: 'primary outcome', plain: 'the main thing measured' },
  { term: 'secondary outcome', plain: 'other things measured' },
  { term: 'endpoint', plain: 'what was measured at the end' },
  { term: 'prevalence', plain: 'how common something is' },
  { term: 'incidence', plain: 'how many new cases there are' },
  { term: 'morbidity', plain: 'illness' },
  { term: 'mortality', plain: 'deaths' },
  { term: 'comorbidity', plain: 'another health condition at the same time' },
  { term: 'multimorbidity', plain: 'having several long-term health conditions' },
  { term: 'aetiology', plain: 'cause' },
  { term: 'etiology', plain: 'cause' },
  { term: 'prognosis', plain: 'how an illness is likely to turn out' },
  { term: 'adverse event', plain: 'harm or side effect' },
  { term: 'adverse effect', plain: 'side effect' },
  { term: 'contraindicated', plain: 'should not be used' },
  { term: 'contraindication', plain: 'a reason not to use a treatment' },
  { term: 'bias', plain: 'something that can skew the results' },
  { term: 'confounding', plain: 'other things that might explain the result' },
  { term: 'confounder', plain: 'something else that might explain the result' },
  { term: 'heterogeneity', plain: 'differences between studies' },
  { term: 'heterogeneous', plain: 'varied' },
  { term: 'homogeneous', plain: 'alike' },
  { term: 'generalisability', plain: 'how far the results apply to other people' },
  { term: 'generalizability', plain: 'how far the results apply to other people' },
  { term: 'sample size', plain: 'the number of people in the study' },
  { term: 'inclusion criteria', plain: 'who could take part' },
  { term: 'exclusion criteria', plain: 'who could not take part' },
  { term: 'eligibility criteria', plain: 'rules about who can take part or get help' },
  { term: 'null hypothesis', plain: 'the idea that there is no difference' },
  { term: 'causal', plain: 'cause and effect' },
  { term: 'correlation', plain: 'link' },
  { term: 'correlated', plain: 'linked' },
  { term: 'longitudinal', plain: 'over a long time' },
  { term: 'trajectory', plain: 'path over time' },
  { term: 'pilot study', plain: 'a small first test' },
  { term: 'feasibility study', plain: 'a study to see if something can be done' },
  { term: 'protocol', plain: 'a plan' },
  { term: 'evidence base', plain: 'the research' },
  { term: 'evidence-based', plain: 'based on research' },
  { term: 'peer-reviewed', plain: 'checked by other experts' },
  { term: 'rapid review', plain: 'a quick summary of research' },
  { term: 'scoping review', plain: 'a review that maps what research there is' },
  { term: 'literature review', plain: 'a summary of published research' },
  { term: 'grey literature', plain: 'reports not published in journals' },
  { term: 'synthesis', plain: 'bringing together' },
  { term: 'methodology', plain: 'method' },
  { term: 'paradigm', plain: 'way of thinking' },
  { term: 'triangulate', plain: 'check using several sources' },
  { term: 'triangulation', plain: 'checking using several sources' },
  { term: 'robust', plain: 'strong' },
  { term: 'granular', plain: 'detailed' },
  { term: 'implementation', plain: 'putting into practice' },
  { term: 'implementation science', plain: 'the study of how to put research into practice' },
  { term: 'fidelity', plain: 'how closely it was delivered as planned' },
  { term: 'logic model', plain: 'a plan showing how something is meant to work' },
  { term: 'theory of change', plain: 'an explanation of how something is meant to work' },
  { term: 'knowledge mobilisation', plain: 'sharing research so that it gets used' },
  { term: 'evaluation', plain: 'checking how well something worked' },
  { term: 'dissemination', plain: 'sharing' },
  { term: 'disseminate', plain: 'share' },
  { term: 'barriers and facilitators', plain: 'what helps and what gets in the way' },
  { term: 'stakeholder', plain: 'people with an interest' },
  { term: 'co-production', plain: 'working together as equal partners' },
  { term: 'co-design', plain: 'designing together with the people who will use it' },
  acronym('PPI', 'patient and public involvement'),
  { term: 'patient and public involvement', plain: 'involving patients and the public in research' },
  acronym('QALY', 'a measure of how much healthy life a treatment gives'),
  { term: 'quality-adjusted life year', plain: 'a measure of how much healthy life a treatment gives' },
  acronym('KPI', 'a key measure of performance'),
  { term: 'key performance indicator', plain: 'a key measure of performance' },
  { term: 'metrics', plain: 'measures' },
  { term: 'benchmark', plain: 'a standard to compare against' },
];

const services: JargonTerm[] = [
  { term: 'commissioning', plain: 'buying services' },
  { term: 'commissioner', plain: 'people who buy services' },
  acronym('ICB', 'the local NHS body that plans and pays for services'),
  { term: 'integrated care board', plain: 'the local NHS body that plans and pays for services' },
  acronym('ICS', 'local health and care organisations working together'),
  { term: 'integrated care system', plain: 'local health and care organisations working together' },
  { term: 'integrated care', plain: 'joined-up care' },
  acronym('PCN', 'a group of local GP practices working together'),
  { term: 'primary care network', plain: 'a group of local GP practices working together' },
  acronym('NICE', 'the National Institute for Health and Care Excellence, which advises on treatments'),
  acronym('NIHR', 'the National Institute for Health and Care Research, which pays for research'),
  acronym('VCSE', 'voluntary and community organisations'),
  acronym('MDT', 'a team of different professionals'),
  { term: 'multidisciplinary team', plain: 'a team of different professionals' },
  { term: 'multidisciplinary', plain: 'involving different professionals' },
  { term: 'multi-agency', plain: 'several organisations working together' },
  { term: 'interprofessional', plain: 'between different professions' },
  { term: 'primary care', plain: 'GP and community services' },
  { term: 'secondary care', plain: 'hospital care' },
  { term: 'tertiary care', plain: 'specialist hospital care' },
  { term: 'acute care', plain: 'short-term hospital care' },
  { term: 'acute', plain: 'sudden or severe' },
  { term: 'chronic', plain: 'long-lasting' },
  { term: 'long-term condition', plain: 'a health condition that lasts a long time' },
  { term: 'care pathway', plain: "the steps in someone's care" },
  { term: 'pathway', plain: "the steps in someone's care" },
  { term: 'service user', plain: 'person who uses services' },
  { term: 'service delivery', plain: 'how services are provided' },
  { term: 'mental capacity', plain: 'being able to make a decision' },
  { term: 'safeguarding', plain: 'protecting people from harm or abuse' },
  { term: 'domiciliary care', plain: 'care at home' },
  { term: 'reablement', plain: 'short-term help to live independently again' },
  { term: 'intermediate care', plain: 'short-term care to help people recover after illness or a hospital stay' },
  { term: 'step-down care', plain: 'care after leaving hospital' },
  { term: 'respite care', plain: 'a short break for carers' },
  { term: 'care package', plain: 'the care and support someone gets' },
  { term: 'personal budget', plain: 'money to arrange your own care' },
  { term: 'direct payment', plain: 'money from the council to pay for your own care' },
  { term: 'informal carer', plain: 'family member or friend who gives unpaid care' },
  { term: 'delayed discharge', plain: 'staying in hospital longer than needed' },
  { term: 'discharge', plain: 'leaving hospital' },
  { term: 'hospital admission', plain: 'going into hospital' },
  { term: 'readmission', plain: 'going back into hospital' },
  { term: 'non-elective', plain: 'unplanned' },
  { term: 'elective', plain: 'planned' },
  { term: 'outpatient', plain: 'hospital appointment without staying overnight' },
  { term: 'inpatient', plain: 'staying in hospital' },
  { term: 'ambulatory care', plain: 'care without staying in hospital' },
  { term: 'triage', plain: 'sorting by how urgent it is' },
  { term: 'escalation', plain: 'passing on to someone more senior' },
  { term: 'caseload', plain: 'the number of people a worker supports' },
  { term: 'social prescribing', plain: 'linking people to community activities and support' },
  { term: 'signposting', plain: 'pointing people to other help' },
  { term: 'holistic', plain: 'looking at the whole person' },
  { term: 'person-centred', plain: "built around the person's needs" },
  { term: 'patient-centred', plain: "built around the patient's needs" },
  { term: 'health inequalities', plain: 'unfair differences in health between groups of people' },
  { term: 'deprivation', plain: 'poverty' },
  { term: 'wider determinants of health', plain: 'the things around us that shape our health, like housing and income' },
  { term: 'determinants of health', plain: 'things that affect health' },
  { term: 'population health', plain: 'the health of a whole community' },
  { term: 'upstream', plain: 'early, before problems start' },
  { term: 'early intervention', plain: 'help given early' },
  { term: 'self-management', plain: 'looking after your own condition' },
  { term: 'adherence', plain: 'taking treatment as advised' },
  { term: 'polypharmacy', plain: 'taking many medicines' },
  { term: 'deprescribing', plain: 'stopping medicines that are no longer needed' },
  { term: 'frailty', plain: 'being weak and at risk of falls or illness' },
  { term: 'cognitive impairment', plain: 'problems with memory or thinking' },
  { term: 'clinician', plain: 'doctor, nurse or other health professional' },
  { term: 'practitioner', plain: 'professional' },
  { term: 'allied health professional', plain: 'therapists and other health professionals' },
  { term: 'workforce', plain: 'staff' },
  { term: 'capacity planning', plain: 'planning staff and beds' },
  { term: 'throughput', plain: 'the number of people seen' },
  { term: 'uptake', plain: 'how many people use it' },
  { term: 'engagement', plain: 'involvement' },
  { term: 'transformation', plain: 'big change' },
  { term: 'outcomes framework', plain: 'a set of measures of results' },
  { term: 'upskilling', plain: 'training' },
];

const clinical: JargonTerm[] = [
  { term: 'psychosocial', plain: 'to do with feelings, thoughts and relationships' },
  { term: 'biopsychosocial', plain: 'to do with body, mind and relationships' },
  { term: 'pharmacological', plain: 'using medicines' },
  { term: 'non-pharmacological', plain: 'without medicines' },
  { term: 'therapeutic', plain: 'helps treat' },
  { term: 'modifiable risk factor', plain: 'something you can change that affects your risk' },
  { term: 'risk factor', plain: 'something that raises the chance of a problem' },
  { term: 'screening', plain: 'tests to find problems early' },
  { term: 'diagnostic', plain: 'used to find out what is wrong' },
  { term: 'symptomatic', plain: 'having symptoms' },
  { term: 'asymptomatic', plain: 'without symptoms' },
  { term: 'hypertension', plain: 'high blood pressure' },
  { term: 'cardiovascular', plain: 'heart and blood vessels' },
  { term: 'myocardial infarction', plain: 'heart attack' },
  { term: 'cerebrovascular accident', plain: 'stroke' },
  { term: 'renal', plain: 'kidney' },
  { term: 'hepatic', plain: 'liver' },
  { term: 'pulmonary', plain: 'lung' },
  { term: 'sedentary', plain: 'not active' },
  { term: 'analgesia', plain: 'pain relief' },
  { term: 'palliative care', plain: 'care to ease symptoms when someone is very ill' },
  { term: 'modality', plain: 'type' },
];

/** Formal words with everyday ones (Plain English Campaign's A to Z of alternative words). */
const formal: JargonTerm[] = [
  { term: 'utilise', plain: 'use' },
  { term: 'utilize', plain: 'use' },
  { term: 'utilisation', plain: 'use' },
  { term: 'utilization', plain: 'use' },
  { term: 'facilitate', plain: 'help' },
  { term: 'optimise', plain: 'improve' },
  { term: 'optimize', plain: 'improve' },
  { term: 'leverage', plain: 'use' },
  { term: 'ameliorate', plain: 'improve' },
  { term: 'commence', plain: 'start' },
  { term: 'in accordance with', plain: 'following' },
  { term: 'prior to', plain: 'before' },
  { term: 'subsequent', plain: 'later' },
  { term: 'subsequently', plain: 'later' },
  { term: 'approximately', plain: 'about' },
  { term: 'sufficient', plain: 'enough' },
  { term: 'demonstrate', plain: 'show' },
  { term: 'indicate', plain: 'show' },
  { term: 'mitigate', plain: 'reduce' },
  { term: 'mitigation', plain: 'ways to reduce harm' },
  { term: 'exacerbate', plain: 'make worse' },
  { term: 'salient', plain: 'important' },
  { term: 'suboptimal', plain: 'not as good as it could be' },
];

export const jargonTerms: readonly JargonTerm[] = [...research, ...services, ...clinical, ...formal];

/** A jargon term found in a text: where (character offsets, `end` exclusive), as written, and a plainer way to say it. */
export interface JargonMatch {
  start: number;
  end: number;
  text: string;
  term: string;
  plain: string;
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const LETTER = '[\\p{L}\\p{M}\\p{N}]';
const VOWEL = /[aeiou]/i;

/** A term as a pattern: spaces match spaces or hyphens, hyphens may be dropped, the last word may be inflected. */
const patternOf = ({ term, isCaseSensitive }: JargonTerm): string => {
  const last = term.slice(-1);
  const beforeLast = term.slice(-2, -1);
  let stem = term;
  let ending = '(?:s|es|ed|ing)?';
  if (isCaseSensitive === true) {
    // Acronyms: "ICBs", never "NICEd".
    ending = 's?';
  } else if (last === 'y' && !VOWEL.test(beforeLast)) {
    stem = term.slice(0, -1);
    ending = '(?:y|ies|ied)';
  } else if (last === 'e') {
    stem = term.slice(0, -1);
    ending = '(?:e|es|ed|ing)';
  }
  const body = stem
    .split(/([\s-])/)
    .map((part) => (part === ' ' ? '[\\s\\-\u2010\u2011]+' : part === '-' ? '[\\s\\-\u2010\u2011]?' : escapeRegExp(part)))
    .join('');
  return `${body}${ending}`;
};

const matcherOf = (terms: readonly JargonTerm[], flags: string): { pattern: RegExp; entries: JargonTerm[] } => {
  // Longest first, so that "randomised controlled trial" wins over "randomised" at the same place.
  const sorted = [...terms].sort((left, right) => right.term.length - left.term.length);
  const alternatives = sorted.map((entry) => `(${patternOf(entry)})`);
  const pattern = new RegExp(`(?<!${LETTER})(?:${alternatives.join('|')})(?!${LETTER})`, flags);
  // One capturing group per term, in `sorted` order: the group that matched names the term.
  return { pattern, entries: sorted };
};

const matchers = [
  matcherOf(
    jargonTerms.filter((entry) => entry.isCaseSensitive !== true),
    'giu',
  ),
  matcherOf(
    jargonTerms.filter((entry) => entry.isCaseSensitive === true),
    'gu',
  ),
];

/** Jargon in a text, in order, each with a plainer alternative; overlapping finds keep the longer. */
export const findJargon = (text: string): JargonMatch[] => {
  const found: JargonMatch[] = [];
  for (const { pattern, entries } of matchers) {
    for (const match of text.matchAll(pattern)) {
      const group = match.findIndex((value, index) => index > 0 && value !== undefined);
      const entry = entries[group - 1];
      if (entry !== undefined) {
        found.push({ start: match.index, end: match.index + match[0].length, text: match[0], term: entry.term, plain: entry.plain });
      }
    }
  }
  found.sort((left, right) => left.start - right.start || right.end - left.end);
  const kept: JargonMatch[] = [];
  for (const match of found) {
    const previous = kept.at(-1);
    if (previous === undefined || match.start >= previous.end) {
      kept.push(match);
    }
  }
  return kept;
};
