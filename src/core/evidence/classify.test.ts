import { describe, expect, it } from 'vitest';
import { classifyRecord } from './classify.js';

const record = (overrides: { title?: string; abstract?: string; publicationTypes?: string[]; meshTerms?: string[] }) => ({
  title: 'A study',
  publicationTypes: [],
  meshTerms: [],
  ...overrides,
});

describe('classifyRecord', () => {
  it.each([
    [{ publicationTypes: ['Journal Article', 'Randomized Controlled Trial'] }, 'rct', 2],
    [{ publicationTypes: ['Meta-Analysis'] }, 'systematic_review', 1],
    [{ publicationTypes: ['Practice Guideline'] }, 'guideline', 1],
    [{ publicationTypes: ['Case Reports'] }, 'case_report', 5],
    [{ publicationTypes: ['Comment', 'Letter'] }, 'editorial', 6],
    [{ publicationTypes: ['Review'] }, 'other', undefined],
    [{ meshTerms: ['Humans', '*Cohort Studies'] }, 'cohort', 3],
    [{ meshTerms: ['Randomized Controlled Trials as Topic'] }, 'other', undefined],
    [{ title: 'Befriending for older people: a randomised controlled trial' }, 'rct', 2],
    [{ title: 'Exercise for depression: systematic review and meta-analysis' }, 'systematic_review', 1],
    [{ title: 'Cost-effectiveness of social prescribing' }, 'economic_evaluation', undefined],
    [{ title: 'Carers’ experiences', abstract: 'We conducted semi-structured interviews and a thematic analysis.' }, 'qualitative', undefined],
    [{ title: 'Smoking and stroke', abstract: 'A population-based case-control study.' }, 'case_control', 4],
    [{ title: 'Loneliness in London: a cross-sectional survey' }, 'cross_sectional', 5],
    [{ title: 'Trends in prescribing', meshTerms: ['Retrospective Studies'] }, 'cohort', 3],
    [{ title: 'Budesonide-formoterol as needed', abstract: 'In this randomized, open-label trial…', meshTerms: ['Surveys and Questionnaires'] }, 'rct', 2],
    [{ title: 'Stroke after surgery', abstract: 'We used a questionnaire survey.', meshTerms: ['Cohort Studies'] }, 'cohort', 3],
  ])('classifies %o as %s (level %s)', (fields, design, level) => {
    expect(classifyRecord(record(fields))).toMatchObject({ design, level });
  });

  // Papers about reviews and trials are not graded as them (titles from ../shared/data unless noted).
  describe('protocols, methods, guidance and comments about systematic reviews and trials', () => {
    it.each([
      // A protocol for a review or trial: "protocol for …", "… protocol", "study protocol".
      ['Acupuncture for migraine and headache in primary care: a protocol for a pragmatic, randomized trial.', 'A pragmatic randomised trial with an economic evaluation alongside.'],
      ['Traditional Chinese medicine for mild-to-moderate ulcerative colitis: Protocol for a network meta-analysis of randomized controlled trials.', ''],
      ['Efficacy and safety of Tripterygium wilfordii Hook F preparations for the treatment of Crohn disease: A systemic review and meta-analysis protocol.', ''],
      // Not in the shared data: PRISMA-P (Moher et al. 2015) and a SPIRIT-style title.
      ['Preferred reporting items for systematic review and meta-analysis protocols (PRISMA-P) 2015 statement', ''],
      ['Telephone befriending for carers of people with dementia: study protocol for a randomised controlled trial', 'Carers will be randomly allocated to befriending or usual care.'],
      // Trial design papers.
      ['The Pediatric Randomized Carvedilol Trial in Children with Heart Failure: rationale and design.', ''],
      ['Design and methodology of the CAPRICORN trial - a randomised double blind placebo controlled study of the impact of carvedilol on morbidity and mortality in patients with left ventricular dysfunction after myocardial infarction.', ''],
      ['Treatment of IgA nephropathy with angiotensin converting enzyme inhibitors: design of a prospective randomized multicenter trial.', ''],
    ])('grades the protocol or design paper %j as other, whatever its abstract describes', (title, abstract) => {
      const classified = classifyRecord(record({ title, abstract }));
      expect(classified).toMatchObject({ design: 'other', level: undefined });
      expect(classified.reason).toContain('protocol or design paper');
    });

    it.each([
      // Methods, tools and guidance for reviews or trials.
      ['An open source machine learning framework for efficient and transparent systematic reviews', 'Conducting a systematic review requires screening thousands of records.', 'other'],
      ['RoB 2: a revised tool for assessing risk of bias in randomised trials', 'Assessment of risk of bias is regarded as an essential component of a systematic review on the effects of an intervention.', 'other'],
      ['Methods for assessing risk of bias in a systematic review', '', 'other'],
      // Doing, reporting or reading one.
      ['A guide to conducting a systematic review', 'A systematic review answers a focused question from all the studies that meet its criteria.', 'other'],
      ['Evidence-based psychopharmacology 2. Appraising a systematic review: is risperidone better than conventional antipsychotics in the treatment of schizophrenia?', '', 'other'],
      ['Reporting Quality of Systematic Reviews and Meta-Analyses of Otorhinolaryngologic Articles Based on the PRISMA Statement.', '', 'other'],
      // The design as a qualifier.
      ['Assessing the efficacy of drugs for the acute treatment of migraine: issues in clinical trial design.', 'In most trials patients are randomly assigned to a triptan or placebo.', 'other'],
      ['What is the quality of the implemented meta-analytic procedures in chronic pain treatment meta-analyses?', '', 'other'],
      // Another design still counts (illustrative title).
      ['Barriers to recruitment to randomised controlled trials: a qualitative study', '', 'qualitative'],
      // Comments and replies.
      ['Comment on: exercise for depression, a randomised controlled trial', '', 'editorial'],
      ['Comment on: Doverty et al, Hyperalgesic responses in methadone maintenance patients (Pain 2001;90;91-6).', '', 'editorial'],
      ['Cortical spreading depression and memory transfer: a reply to Mayes', '', 'editorial'],
    ])('does not grade %j as a review or trial (%j): %s', (title, abstract, design) => {
      expect(classifyRecord(record({ title, abstract }))).toMatchObject({ design });
    });

    it.each([
      // A title calling itself a review is one, even a review about methods.
      ['The Reporting Quality of Systematic Reviews and Meta-Analyses in Industrial and Organizational Psychology: A Systematic Review.', 'systematic_review'],
      ['A systematic review of methods for handling missing data in randomised trials', 'systematic_review'],
      ['Teacher leadership: A systematic review, methodological quality assessment and conceptual framework', 'systematic_review'],
      ['Systematic review and guide to selection of selective serotonin reuptake inhibitors.', 'systematic_review'],
      ['Efficacy of clonidine for prevention of perioperative myocardial ischemia: a critical appraisal and meta-analysis of the literature.', 'systematic_review'],
      // A title reporting results is a study, whatever it says about its methods or design.
      ['Triptans (serotonin, 5-HT1B/1D agonists) in migraine: detailed results and methods of a meta-analysis of 53 trials.', 'systematic_review'],
      ['Comparing the efficacy of cyclooxygenase 2-specific inhibitors in treating osteoarthritis: appropriate trial design considerations and results of a randomized, placebo-controlled trial.', 'rct'],
      ['A calcium antagonist vs a non-calcium antagonist hypertension treatment strategy for patients with coronary artery disease. The International Verapamil-Trandolapril Study (INVEST): a randomized controlled trial.', 'rct'],
      // "Protocols" of treatment are not study protocols.
      ['Randomized trial of two weaning protocols for mechanically ventilated adults', 'rct'],
    ])('keeps the real review or trial %j as %s', (title, design) => {
      expect(classifyRecord(record({ title }))).toMatchObject({ design });
    });

    it('says which words made it a paper about reviews or trials', () => {
      expect(classifyRecord(record({ title: 'How to write a systematic review' })).reason).toBe(
        'title says "How to write a systematic review": a methods or guidance paper, or a comment, about reviews or trials rather than one',
      );
    });
  });

  it('says why it decided', () => {
    expect(classifyRecord(record({ title: 'A randomised controlled trial of befriending' })).reason).toContain('randomised controlled trial');
  });
});
