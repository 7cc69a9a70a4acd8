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

/**
 * The version of the rules in this file. Raise it with any change that can change a stored design or
 * level: at its next start the app reclassifies, in the background, every record whose design no one set
 * by hand (`reclassify.ts`; `mobilise evidence reclassify` does it on demand). Stored designs from
 * before versions (0) count as older.
 *   1. Non-randomised trials, overviews of reviews, syntheses used in a field ("Meta-analysis in clinical
 *      trials"), guidelines as a study's subject, protocols that say so only in the abstract.
 *   2. Trial design papers that name a study ("Design of the Cardiac Insufficiency Bisoprolol Study II",
 *      "Goals and design of the SOPAT Study", "rationale, methods and recruitment") or say so in the abstract
 *      ("To describe the rationale and design of …"), and trials' baseline papers, are not graded as trials;
 *      a protocol publication type ("Clinical Trial Protocol") outranks every other cue; guidelines named at
 *      the head of a title ("Guidelines for the management of …", "… : a consensus report") are guidelines.
 *   3. Guidelines and consensus statements named elsewhere in their titles ("… guidelines from the Canadian Neurosurgical
 *      Society", "… : a CAEP consensus document", "Report of the … Consensus Conference", "Brazilian consensus on …") are
 *      guidelines; a title that names guidelines as its subject ("… : potential impact of practice guidelines") is not graded a
 *      guideline from its abstract.
 */
export const classificationRulesVersion = 3;

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
  ['rct', /\b(?<!\bnon[- ]?)(randomi[sz]ed controlled trial|pragmatic clinical trial|equivalence trial)\b/i],
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

/** Not before "randomised": "non-randomised", "nonrandomized", "quasi-randomised", "not randomised", "without randomisation". */
const notNegated = String.raw`(?<!\b(?:non|quasi|not|without|no)[- ]?)`;

// Phrases in the title or abstract, in order of precedence.
const textRules: Rule[] = [
  ['guideline', /\b(clinical (practice )?guidelines?|guideline (development|recommendations)|consensus statement|position statement)\b/i],
  // An overview of reviews (umbrella review) is a synthesis too: "a review of systematic reviews", "systematic overview of
  // systematic reviews"; so is a "systematic overview of" trials or data, the older name for a meta-analysis.
  ['systematic_review', /\b(systematic(ally)? review|meta-?analys[ie]s|umbrella review|systematic overview(?= (of|and)\b)|(overview|review) of (systematic )?reviews|scoping review|cochrane review|pooled analysis of (randomi[sz]ed )?trials)\b/i],
  ['economic_evaluation', /\b(cost[- ]effectiveness|cost[- ]utility|cost[- ]benefit|economic evaluation|incremental cost|QALYs?)\b/i],
  // "randomised controlled trial", "randomized, open-label, multicentre trial", …; never a non-randomised one.
  ['rct', new RegExp(String.raw`\b(${notNegated}randomi[sz]ed(,? [\w-]+){0,4},? (trial|study)|${notNegated}randomly (assigned|allocated)|${notNegated}randomi[sz]ation)\b`, 'i')],
  ['case_control', /\b(case[- ]control|matched controls)\b/i],
  ['cohort', /\b(cohort|prospective(ly)? (study|follow)|longitudinal study|followed up for|retrospective (study|analysis|review of))\b/i],
  ['cross_sectional', /\b(cross[- ]sectional|survey|questionnaire study|prevalence study)\b/i],
  ['qualitative', /\b(qualitative|semi-structured interviews|focus groups?|thematic analysis|grounded theory|interpretative phenomenological)\b/i],
  ['case_report', /\b(case report|we (report|describe|present) (a|an|the|two|three) (case|patient)|case series)\b/i],
  ['editorial', /\b(editorial|commentary|viewpoint|opinion|perspective|comment on|reply to|letter to the editor)\b/i],
];

/*
 * Papers about systematic reviews, meta-analyses and randomised trials rather than reports of one:
 * protocols, trial design papers, methods, tools, guidance and commentary. Their titles name the
 * design as their subject ("A guide to conducting a systematic review", "RoB 2: a revised tool for
 * assessing risk of bias in randomised trials", "… : protocol for a systematic review"), so the
 * review and trial rules must not grade them (in the title or the abstract, which describes the
 * design too). A title that calls itself a review at its start or after a colon is one, even about
 * methods ("… in systematic reviews: a systematic review"); a title that reports results is a study.
 */
/** A synthesis or a randomised trial named as a paper's subject, in the singular or plural. */
const synthesisWords = String.raw`(?:systematic(?:ally)? (?:literature )?reviews?|systemic reviews?|meta-?analy(?:sis|ses|tic)|umbrella reviews?|systematic overviews?|(?:overview|review)s? of (?:systematic )?reviews|scoping reviews?|cochrane reviews?|evidence syntheses)`;
const trialWords = String.raw`(?:randomi[sz]ed(?:,? [\w-]+){0,3},? trials?|(?:controlled|clinical) trials?|RCTs?)`;
const designWords = `(?:${synthesisWords}|${trialWords})`;
/** Trials named in general (plural): "methods in randomised trials", not "… in a randomised trial" (which may be one). */
const trialsInGeneral = String.raw`(?:randomi[sz]ed(?:,? [\w-]+){0,3},? trials|(?:controlled|clinical) trials|RCTs)`;
/**
 * Up to `count` words before the design, none of them a preposition (which would make the design the
 * object of something else) and, unless `gerunds`, none ending in -ing ("Appraising a systematic review").
 */
const describingWords = (count: number, gerunds = true) =>
  String.raw`(?:(?:a|an|the)\s)?(?:(?!(?:in|for|of|on|with|to|from|by|about)\s)${gerunds ? '' : String.raw`(?![\w-]+ing\s)`}[\w/-]+,?\s){0,${count}}?`;
/** Where a part of a title begins (looking behind): its start (or the bracket around a translated title), or after a colon, full stop, dash or the like. */
const titlePartStart = String.raw`(?<=^\[?|[:.?!;–—]\s*|\s-\s|--\s*)`;

/** What a design paper reports about its study, named together with another: "rationale, design and methods". */
const designPaperPart = String.raw`(?:rationale|(?:study |trial )?design|methods|methodology|objectives|aims|goals|background|(?:study |trial )?protocol(?: development)?|baseline (?:characteristics|data|demographics|demography)|end-?points|recruitment)`;
/** One of them must be the rationale, design or protocol: "aims and methods" alone may head any study. */
const designPaperCore = String.raw`(?:rationale|(?:study |trial )?design|(?:study |trial )?protocol(?: development)?)`;
const partsJoined = String.raw`(?:,? and |, |,? & )`;
/** A study's name ending that part of the title: "… Trial (SPORT).", "… study II (CIBIS II)", "… (RESOLVD) Pilot Study". */
const namedStudy = String.raw`(?:trial|study|project|programme|program)(?:\s+[IVX\d]+)?(?:\s*\([^)]*\))?(?=\s*(?:[.:;]|$))`;

const protocolRules: RegExp[] = [
  // "protocol for a pragmatic, randomized trial", "Protocol for a network meta-analysis of …"
  new RegExp(String.raw`\bprotocol (?:for|of) (?:(?:a|an|the) )?(?:[\w-]+,? ){0,4}?${designWords}`, 'i'),
  // "a systemic review and meta-analysis protocol", "trial protocol"
  new RegExp(String.raw`${designWords}(?: and (?:network )?meta-?analysis)? protocols?\b`, 'i'),
  /\bstudy protocol\b/i,
  // Trial design papers: "Rationale and design of …", "Design and methodology of the CAPRICORN trial", "Goals and
  // design of the SOPAT Study", "rationale, methods and recruitment", "trial design and protocol development".
  new RegExp(String.raw`\b(?:${designPaperCore}(?:${partsJoined}${designPaperPart})+|(?:${designPaperPart}${partsJoined})+${designPaperCore})\b`, 'i'),
  /\bmethodology of\b/i,
  new RegExp(String.raw`\bdesign of ${describingWords(4)}${trialWords}`, 'i'),
  // "Design of the Cardiac Insufficiency Bisoprolol Study II (CIBIS II)", "…: design of the Randomized Evaluation of
  // Strategies for Left Ventricular Dysfunction (RESOLVD) Pilot Study": a named study, the whole of that part of the title.
  new RegExp(String.raw`${titlePartStart}(?:the )?design of the (?:(?!an?\s)[\w'’/()-]+\s){0,12}?${namedStudy}`, 'i'),
  // "The cardiac insufficiency talinolol study (CITAS) study design."
  new RegExp(String.raw`(?:(?<=\)\s*)|${titlePartStart})(?:study|trial) design(?=\s*(?:[.:;]|$))`, 'i'),
];

/**
 * A field of research a synthesis is used in, as a methods paper's subject: "Meta-analysis in clinical
 * trials", "Systematic reviews in health care", "Meta-analysis in medical research".
 */
const researchFields = String.raw`(?:the )?(?:${trialsInGeneral}|(?:[\w-]+ ){0,2}research|(?:[\w-]+ )?(?:medicine|epidemiology|psychiatry|psychology|sciences?)|health ?care|evidence-based (?:medicine|practice))`;
const inResearchField = String.raw`\s+(?:in|within)\s+${researchFields}\b`;

/**
 * The title calls itself a synthesis: at its start or after a colon or full stop, after describing
 * words only, and not as a method used in a field ("Meta-analysis in clinical trials").
 */
const selfDescribedSynthesis = new RegExp(
  String.raw`${titlePartStart}${describingWords(4, false)}(?:systematic(?:ally)? (?:literature )?review|systemic review|meta-?analysis|umbrella review|systematic overview|(?:overview|review) of (?:systematic )?reviews)\b(?!${inResearchField})`,
  'i',
);

const aboutDesignRules: RegExp[] = [
  // Methods, tools and guidance for syntheses or for trials in general.
  new RegExp(
    String.raw`\b(?:guide|guidance|guidelines?|primer|tutorial|introduction|handbook|manual|checklist|tools?|toolkit|instruments?|framework|software|package|methods?|methodology|approach(?:es)?|strateg(?:y|ies)|recommendations|standards|statement|tips|steps|lessons|principles|issues|challenges|pitfalls|considerations) (?:for|to|on|in|of) (?:[\w'’-]+ ){0,6}?(?:${synthesisWords}|${trialsInGeneral})`,
    'i',
  ),
  // Doing, reporting, reading or commenting on one: "How to write a systematic review", "Appraising a systematic review".
  new RegExp(
    String.raw`\b(?:how to \w+|guide to|conducting|doing|performing|undertaking|writing|reporting|planning|designing|registering|appraising|interpreting|reading|critiquing|critical appraisal of|commentary on|comments? on|reply to|(?:reporting|methodological) quality of|quality of reporting (?:of|in)) ${describingWords(2)}${designWords}`,
    'i',
  ),
  // The design as a qualifier: "systematic review methods", "clinical trial design", "meta-analytic procedures".
  new RegExp(
    String.raw`${designWords} (?:methods?|methodology|software|tools?|automation|registration|registr(?:y|ies)|guidance|guidelines|handbook|checklists?|reporting|quality|search(?:es|ing)?|screening|production|designs?|procedures|techniques)\b`,
    'i',
  ),
  // A synthesis as a method used in a field of research: "Meta-analysis in clinical trials".
  new RegExp(String.raw`\b${synthesisWords}${inResearchField}`, 'i'),
  // A comment or letter on another paper.
  /^(comment(ary)? on|reply to|in reply to|letter to the editor|re:)/i,
];
/** A title that reports results or findings is a study, whatever else it says about its methods. */
const reportsResults = /\b(results?|findings)\b/i;
/** Designs a paper about them must not be graded as. */
const designsWrittenAbout = new Set<StudyDesign>(['systematic_review', 'rct']);

/**
 * The phrase that shows the title is a protocol or design paper (`isProtocol`), or a methods,
 * guidance or commentary paper about reviews or trials.
 */
const writtenAbout = (title: string): { phrase: string; isProtocol: boolean } | undefined => {
  if (reportsResults.test(title)) {
    return undefined;
  }
  const protocol = protocolRules.map((pattern) => pattern.exec(title)).find((match) => match !== null);
  if (protocol) {
    return { phrase: protocol[0], isProtocol: true };
  }
  if (selfDescribedSynthesis.test(title)) {
    return undefined;
  }
  const about = aboutDesignRules.map((pattern) => pattern.exec(title)).find((match) => match !== null);
  return about ? { phrase: about[0], isProtocol: false } : undefined;
};

/*
 * A protocol that says so only in its abstract: "This protocol describes …", or its methods in the
 * future tense ("We will search MEDLINE …", "… will be included"). Two different future steps are
 * needed, and an abstract that reports results (a confidence interval, a p value, a count of the
 * studies included) is never a protocol: a finished review or trial mentioning what comes next keeps
 * its design.
 */
const protocolStatement =
  /\b(?:(?:this|the present|our) (?:study |review |trial |research )?protocol (?:describes|outlines|presents|details|reports|sets out|explains)|(?:we|this (?:paper|article|report)) (?:describe|present|outline|report|detail)s? (?:the|a|an|our|this) (?:study |review |trial |research )?protocol|(?:aim|purpose|objective) of this protocol|(?:to|we) (?:describe|present|outline|report) the (?:rationale(?:,? and|,) (?:study )?design|design(?:,? and|,) rationale|design (?:and methods )?of (?:the|this|a|an) (?:[\w()-]+ ){0,8}?(?:trial|study))(?![^.]*\b(?:results|findings)\b))\b/i;
const futureStep =
  /\b(?:we (?:will|shall|plan to|intend to) (?:also )?(?:systematically |independently )?(search|include|exclude|screen|extract|assess|evaluate|appraise|synthesi[sz]e|pool|recruit|randomi[sz]e|enrol|enroll|select|identify|retrieve|conduct|perform|analy[sz]e|collect)|will (?:also )?be (?:systematically |independently |electronically )?(searched|included|excluded|screened|extracted|assessed|evaluated|appraised|synthesi[sz]ed|pooled|recruited|randomi[sz]ed|allocated|enrolled|selected|retrieved|identified|conducted|performed|analy[sz]ed|followed|treated|studied|measured|compared|collected))\b/gi;
const abstractReportsResults =
  /\b95\s?%\s?(?:CI|confidence interval)|\bp\s?[<=≤]\s?0?\.\d|\b(?:included|identified) \d+ (?:studies|trials|RCTs|reviews|articles|papers)\b|\b\d+ (?:studies|trials|RCTs|reviews|articles|papers) (?:were|met)\b/i;

/** The phrase that shows the abstract describes a protocol rather than results. */
const protocolInAbstract = (abstract: string): string | undefined => {
  if (abstractReportsResults.test(abstract)) {
    return undefined;
  }
  const statement = protocolStatement.exec(abstract);
  if (statement) {
    return statement[0];
  }
  const steps = new Map<string, string>();
  for (const match of abstract.matchAll(futureStep)) {
    // "search" and "searched", "randomise" and "randomised" are one step.
    steps.set((match[1] ?? match[2] ?? '').toLowerCase().slice(0, 5), match[0]);
  }
  return steps.size >= 2 ? [...steps.values()].slice(0, 2).join('", "') : undefined;
};

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
 * Publication types that say the record is a protocol: PubMed's "Clinical Trial Protocol", and the "Study
 * protocol", "Trial protocol" or "Systematic review protocol" article types some publishers' exports carry.
 * Not a bare "Protocol", which is CINAHL's type for a care protocol.
 */
const protocolPublicationType = /\b(?:clinical trial|study|trial|review) protocol\b/i;

/**
 * A trial's baseline paper, which reports who was enrolled rather than what the trial found: "Baseline
 * characteristics of participants in the RUTH trial", "…: baseline data from the Syst-Eur trial", "rationale,
 * design, and baseline characteristics". Not "by baseline risk" or "changes from baseline".
 */
const baselinePaper = new RegExp(
  String.raw`(?:${titlePartStart}|(?<=\band |, ))(?:(?:the|preliminary) )?baseline (?:characteristics|data|demographics|demography)\b`,
  'i',
);

/**
 * A guideline's own title, where the guideline heads a part of it after describing words only: "Guidelines for
 * the management of …", "ACC/AHA/ESC guidelines for …", "Pain in terminally ill patients: guidelines for
 * pharmacological management", "Practice parameter: …", "… : a consensus report on …". Guidelines after a
 * preposition are a study's subject ("adherence to published practice guidelines", "in relation to the 1999
 * WHO/ISH hypertension guidelines"), and a title that asks a question ("Hypertension guidelines in elderly
 * patients: is anybody listening?") is not one. Only in the title: an abstract names guidelines it follows.
 */
const guidelineTitle = new RegExp(
  String.raw`${titlePartStart}${describingWords(6, false)}(?:guidelines?|practice parameters?|consensus (?:statement|report|document|conference))\b(?! (?:adherence|compliance|implementation|uptake|concordance|use)\b)`,
  'i',
);

/**
 * Words that make guidelines or a consensus the subject of the part of a title they stand in (before them): "adherence to
 * guidelines from the NIH", "a review of the ESC consensus document", "Implementation of …". Each word matched with its first
 * letter in either case, in rules that are case-sensitive (for the capitals of a body's name).
 */
const guidelineSubjectWords = ['adherence', 'adhering', 'compliance', 'complying', 'concordance', 'implementation', 'implementing', 'implemented', 'uptake', 'impact', 'effect', 'effects', 'evaluation', 'evaluating', 'audit', 'awareness', 'knowledge', 'attitudes', 'barriers', 'use', 'using', 'following', 'according', 'based', 'comparison', 'comparing', 'compared', 'versus', 'review', 'reviewing', 'critique', 'appraisal', 'comment', 'comments', 'commentary', 'response', 'reply', 'application', 'applying', 'changes', 'toward', 'towards', 'beyond', 'need', 'against', 'limitations'];
const eitherCase = (word: string) => `[${word.charAt(0)}${word.charAt(0).toUpperCase()}]${word.slice(1)}`;
/** Not after one of those words in the same part of the title (looking behind, to the part's start). */
const notTheSubject = String.raw`(?<!\b(?:${guidelineSubjectWords.map(eitherCase).join('|')})\b[^.:;?!]*)`;
/** A body's name, to the end of its part of the title: "the Canadian Neurosurgical Society", "the U.S. Preventive Services Task Force (USPSTF)". */
const bodyWord = String.raw`(?:(?:[A-Z]\.){2,}|[A-Z][\w'’&/-]*|\([^)]*\))`;
const bodyName = String.raw`(?:the\s)?${bodyWord}(?:\s+(?:${bodyWord}|of|and|for|on|in|the|&|\d+\w*))*`;
/** Where a part of a title ends (looking ahead): a full stop, colon or semicolon, the bracket around a translated title, or its end. */
const titlePartEnd = String.raw`(?=\s*(?:[.:;\]]|$))`;
/** Nationalities and regions a consensus is named after: "Brazilian", "Latin-American", "Japanese", "International". */
const nationality = String.raw`(?:(?:North|South|East|West|Central|Latin|Pan)[- ])?(?:[A-Z][a-z]+(?:ian|ean|an|ese|ish)|French|Dutch|Czech|Swiss|Thai|Greek|Nordic|Baltic|Arab|Israeli|Pakistani|Saudi|Asia-Pacific|International)(?:-[A-Z][a-z]+)*`;

/**
 * Guidelines and consensus statements that name themselves other than at the head of a part of the title:
 * - guidelines from a body, ending that part: "Current management of aneurysmal subarachnoid hemorrhage guidelines from the
 *   Canadian Neurosurgical Society";
 * - a consensus document, statement or report ending that part: "Emergency pain management: a Canadian Association of Emergency
 *   Physicians (CAEP) consensus document";
 * - the report of a consensus conference: "Report of the Canadian Hypertension Society Consensus Conference: 3. …";
 * - a national consensus on a subject: "Brazilian consensus on gastroesophageal reflux disease: …".
 * Not when adherence to them, their use or impact, or a review or critique of them, is the subject ("Patient-reported adherence to
 * guidelines from …", "Current consensus on …" is a review's, not a body's).
 */
const guidelineNamedRules: RegExp[] = [
  new RegExp(String.raw`(?<!\b(?:to|with|of|on|about|by|in|for|under|and)\s)${notTheSubject}\b[Gg]uidelines? from ${bodyName}${titlePartEnd}`),
  new RegExp(String.raw`${notTheSubject}\b[Cc]onsensus (?:document|statement|report|paper)${titlePartEnd}`),
  new RegExp(String.raw`${titlePartStart}(?:(?:the|a)\s)?(?:(?:final|summary|official)\s)?report (?:of|from) (?:the\s)?(?:[^.:;?!]*?\s)?consensus (?:development )?(?:conference|meeting|panel|workshop)\b`, 'i'),
  new RegExp(
    String.raw`${titlePartStart}(?:(?:[Tt]he|[Aa]n?)\s)?(?:(?:[Ff]irst|[Ss]econd|[Tt]hird|[Ff]ourth|[Ff]ifth|\d+(?:st|nd|rd|th)|[Uu]pdated|[Rr]evised|[Nn]ew|\d{4})\s)*${nationality}\s(?:[Ee]xpert\s|[Nn]ational\s)?[Cc]onsensus (?:on|for)\b`,
  ),
];
const titleOnlyRules: Rule[] = [['guideline', guidelineTitle], ...guidelineNamedRules.map((pattern): Rule => ['guideline', pattern])];

/**
 * Guidelines named in a title that is not one (none of the rules above made it one): they are its subject ("…: potential impact
 * of practice guidelines", "pilot implementation of the AHCPR guideline in Utah"), and so are the guidelines its abstract names.
 */
const guidelineInTitle = /\bguidelines?\b/i;

const decide = (design: StudyDesign, reason: string): Classification => ({ design, level: evidenceLevelOf[design], reason });

/** The design the study's own cues name (`classifyRecord` checks a protocol type and a baseline paper around it). */
const classifyStudy = (fields: Pick<RecordFields, 'title' | 'abstract' | 'publicationTypes' | 'meshTerms'>): Classification => {
  // A protocol reports no results, whatever design its abstract describes or an indexer gave the trial
  // or review it plans; a methods paper or a comment about reviews or trials is graded as neither,
  // though it may be a study of another design.
  const about = writtenAbout(fields.title);
  const byType = firstMatch(publicationTypeRules, fields.publicationTypes);
  if (byType && !(about?.isProtocol && designsWrittenAbout.has(byType[0]))) {
    return decide(byType[0], `publication type "${byType[1]}"`);
  }
  const headings = fields.meshTerms.map((term) => term.replace(/^\*/, ''));
  const byMesh = firstMatch(meshRules, headings);
  if (about?.isProtocol) {
    return decide('other', `title says "${about.phrase}": a protocol or design paper, not the study's results`);
  }
  const protocol = reportsResults.test(fields.title) ? undefined : protocolInAbstract(fields.abstract ?? '');
  if (protocol) {
    return decide('other', `abstract says "${protocol}": a protocol or design paper, not the study's results`);
  }
  const rules = about ? textRules.filter(([design]) => !designsWrittenAbout.has(design)) : textRules;
  // A guideline's own title: not one about reviews or trials ("updated guidelines for reporting parallel group randomised trials").
  const titleRules = about || fields.title.includes('?') ? rules : [...titleOnlyRules, ...rules];
  const byTitle = firstMatch(titleRules, [fields.title]);
  // Guidelines named beside a study of another design are its subject: "Nurses' use of clinical guidelines: a survey".
  const study = byTitle?.[0] === 'guideline' ? firstMatch(rules.filter(([design]) => design !== 'guideline'), [fields.title]) : undefined;
  if (byTitle && study) {
    return decide(study[0], `title says "${study[1]}" ("${byTitle[1]}" is its subject)`);
  }
  // A design named in the title outranks MeSH, which indexers apply to the whole paper.
  if (byTitle) {
    return decide(byTitle[0], `title says "${byTitle[1]}"`);
  }
  const abstractRules = guidelineInTitle.test(fields.title) ? rules.filter(([design]) => design !== 'guideline') : rules;
  const byAbstract = firstMatch(abstractRules, [fields.abstract ?? '']);
  if (byAbstract && strongDesigns.has(byAbstract[0])) {
    return decide(byAbstract[0], `abstract says "${byAbstract[1]}"`);
  }
  if (byMesh) {
    return decide(byMesh[0], `MeSH heading "${byMesh[1]}"`);
  }
  if (byAbstract) {
    return decide(byAbstract[0], `abstract says "${byAbstract[1]}"`);
  }
  return decide('other', about ? `title says "${about.phrase}": a methods or guidance paper, or a comment, about reviews or trials rather than one` : 'no design named');
};

/**
 * Classifies a record's study design from, in order of reliability, its publication types, its
 * title, a trial or synthesis named in its abstract, its MeSH headings, then other phrases in the
 * abstract. "Review" alone is not a systematic review; a protocol (its publication type, or said in the
 * title or the abstract) and a trial's baseline paper are other; a guideline named in a title that names
 * another design is that study's subject.
 */
export const classifyRecord = (fields: Pick<RecordFields, 'title' | 'abstract' | 'publicationTypes' | 'meshTerms'>): Classification => {
  // An indexer who calls the paper a protocol has read it: that outranks any design it names.
  const protocolType = fields.publicationTypes.find((type) => protocolPublicationType.test(type));
  if (protocolType) {
    return decide('other', `publication type "${protocolType}": a protocol or design paper, not the study's results`);
  }
  const classified = classifyStudy(fields);
  const baseline = classified.design === 'rct' && !reportsResults.test(fields.title) ? baselinePaper.exec(fields.title) : null;
  return baseline ? decide('other', `title says "${baseline[0]}": a trial's baseline paper, not its results`) : classified;
};
