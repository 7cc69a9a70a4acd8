import { describe, expect, it } from 'vitest';
import { classifyRecord } from './classify.js';

const record = (overrides: { title?: string; abstract?: string; publicationTypes?: string[]; meshTerms?: string[] }) => ({
  title: 'A study',
  publicationTypes: [],
  meshTerms: [],
  ...overrides,
});

/** The design a title and abstract are graded as. */
const expectDesign = (title: string, abstract: string, design: string) => {
  expect(classifyRecord(record({ title, abstract }))).toMatchObject({ design });
};

/** A title and abstract that report a randomised trial. */
const expectTrial = (title: string, abstract: string) => {
  expect(classifyRecord(record({ title, abstract }))).toMatchObject({ design: 'rct', level: 2 });
};

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
      // A named study's design, its parts named together, or "study design" after its name.
      ['Design of the cardiac insufficiency bisoprolol study II (CIBIS II). The CIBIS II Scientific Committee.', 'The objective of the Cardiac Insufficiency Bisoprolol Study II (CIBIS II) is to evaluate effects of the selective beta-1 adrenoceptor blocker, bisoprolol, on mortality. A total of 2,500 patients are planned to be included.'],
      ['Design of the Spine Patient outcomes Research Trial (SPORT).', 'The Spine Patient Outcomes Research Trial (SPORT) was designed to assess the relative efficacy and cost-effectiveness of surgical and nonsurgical approaches.'],
      ['Combination neurohormonal blockade with ACE inhibitors, angiotensin II antagonists and beta-blockers in patients with congestive heart failure: design of the Randomized Evaluation of Strategies for Left Ventricular Dysfunction (RESOLVD) Pilot Study.', 'Randomized, two-stage trial.'],
      ['[Medicamentous prevention of symptomatic paroxysmal atrial fibrillation/flutter onset. Goals and design of the SOPAT Study. Executive committee of the investigators representing trial physicians].', 'A randomized, double-blind, and placebo-controlled multicenter trial with 1000 patients to be recruited was designed to compare the effects of two antiarrhythmic drugs.'],
      ['[Medicamentous prevention after electric cardioversion of chronic atrial fibrillation. Goals and design of the PAFAC Study].', 'The daily transtelephonic ECG transmission enables a quantitative and qualitative monitoring of tachy- and bradyarrhythmias.'],
      ['The European Schizophrenia Outpatient Health Outcomes (SOHO) study: rationale, methods and recruitment.', 'The SOHO study will complement randomized controlled trial findings on the treatment of schizophrenia.'],
      ['The Hypertension in the Very Elderly Trial (HYVET). Rationale, methodology and comparison with previous trials.', 'The Hypertension in the Very Elderly Trial (HYVET) is a multicentre, open, randomised, controlled trial.'],
      ['The National Institute of Mental Health Clinical Antipsychotic Trials of Intervention Effectiveness (CATIE) project: schizophrenia trial design and protocol development.', 'Secondary outcomes include symptoms, side effects, neurocognitive functioning, and cost-effectiveness.'],
      ['The cardiac insufficiency talinolol study (CITAS) study design.', 'The objective of the double-blind, randomized, placebo-controlled cardiac insufficiency talinolol study (CITAS) is to assess efficacy and safety of talinolol.'],
      // Illustrative: "rationale and design", and design with baseline characteristics.
      ['PROTECT: rationale and design', ''],
      ['ADOPT: study design and baseline characteristics of 4,360 patients', 'A randomized, double-blind, parallel-group study.'],
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
    ])('does not grade %j as a review or trial (%j): %s', expectDesign);

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

  // Titles and abstracts from ../shared/data unless noted.
  describe('non-randomised trials', () => {
    it.each([
      [{ title: 'Evaluation of the effects of nateglinide on postprandial glycemia in patients with type 2 diabetes mellitus: a multicenter, multinational, non-randomized, non-controlled Latin American study.' }, 'other'],
      [{ title: 'Bladder-sphincter biofeedback as treatment of detrusor instability in women who failed to respond to oxybutynin.', abstract: 'In a prospective non-randomized trial, 31 of 70 women with detrusor instability were assigned to either the study bladder-sphincter-biofeedback group or the control group.' }, 'other'],
      [{ title: 'Helicobacter treatment with quadruple therapy in primary health care for patients with a history of ulcer disease.', abstract: 'In this prospective, non-randomized intervention study, 51 unselected patients with a history of proven ulcer disease received a 7-day quadruple therapy.' }, 'other'],
      // "without randomization": the prospective follow-up makes it a cohort study.
      [{ title: 'Antimicrobial therapy for Helicobacter pylori infection versus long-term maintenance antisecretion treatment in the prevention of recurrent hemorrhage from peptic ulcer: prospective nonrandomized trial on 125 patients.', abstract: 'We performed a prospective follow-up study without randomization on 125 consecutive patients.' }, 'cohort'],
      [{ title: 'Lack of prevention of heart failure by serial electrical cardioversion in patients with persistent atrial fibrillation.', abstract: 'Non-randomised controlled trial; cohort; case series; mean (SD) follow up duration 3.4 (1.6) years.' }, 'cohort'],
      // Illustrative: a quasi-randomised trial, patients not randomly assigned, and the publication type.
      [{ title: 'Befriending for carers: a quasi-randomised trial' }, 'other'],
      [{ title: 'Befriending for carers', abstract: 'Carers were not randomly assigned; the groups were compared after six months.' }, 'other'],
      [{ title: 'Befriending for carers', publicationTypes: ['Non-Randomized Controlled Trial'] }, 'other'],
    ])('does not grade %j as a randomised trial', (fields, design) => {
      expect(classifyRecord(record(fields))).toMatchObject({ design });
    });

    it.each([
      ['A prospective, randomized, placebo-controlled study of the dose effect of oral oestradiol on menopausal symptoms, psychological well being, and quality of life in postmenopausal Chinese women.', ''],
      // Illustrative: a trial that compares its randomised patients with non-randomised ones.
      ['Befriending for carers', 'Carers were randomly assigned to befriending or usual care; a non-randomised cohort who declined was followed too.'],
    ])('still grades the randomised trial %j', expectTrial);
  });

  describe('overviews of reviews', () => {
    it.each([
      'Computer-Based Interventions for Problematic Alcohol Use: a Review of Systematic Reviews',
      'Allergen immunotherapy for allergic rhinoconjunctivitis : A systematic overview of systematic reviews',
      // "Systematic overview" of trials or data: the older name for a meta-analysis.
      'Effects of beta-blocker therapy on mortality in patients with heart failure. A systematic overview of randomized controlled trials.',
      'Atypical antipsychotics in the treatment of schizophrenia: systematic overview and meta-regression analysis.',
      // Illustrative.
      'Interventions for loneliness in older people: an overview of reviews',
      'Exercise for depression: an umbrella review',
      'Overview of systematic reviews of social prescribing',
    ])('grades %j as a systematic review (level 1)', (title) => {
      expect(classifyRecord(record({ title }))).toMatchObject({ design: 'systematic_review', level: 1 });
    });

    it('does not grade a paper citing systematic overviews as one', () => {
      const fields = {
        title: 'Beta-blockers for congestive heart failure: what is the current consensus?',
        abstract: 'Several systematic overviews of these trials also suggest beneficial effects on mortality.',
      };
      expect(classifyRecord(record(fields))).toMatchObject({ design: 'other' });
    });
  });

  describe('a synthesis as a method used in a field of research', () => {
    it.each([
      // DerSimonian and Laird 1986 and 2015; Haidich 2010 (not in the shared data).
      'Meta-analysis in clinical trials',
      'Meta-analysis in clinical trials revisited',
      'Meta-analysis in medical research',
    ])('grades the methods paper %j as other', (title) => {
      expect(classifyRecord(record({ title }))).toMatchObject({ design: 'other' });
    });

    it.each([
      'Systematic review for evaluation of tolerability of nonsteroidal antiinflammatory drugs in osteoarthritis patients in Japan.',
      'Depression in care homes: a systematic review in primary care',
    ])('keeps the review %j', (title) => {
      expect(classifyRecord(record({ title }))).toMatchObject({ design: 'systematic_review' });
    });
  });

  describe('guidelines named as a study’s subject', () => {
    it('grades a survey about clinical guidelines as a survey', () => {
      const classified = classifyRecord(record({ title: '[Surgical pain management. A Germany-wide survey including the effect of clinical guidelines].' }));
      expect(classified).toMatchObject({ design: 'cross_sectional', level: 5 });
      expect(classified.reason).toBe('title says "survey" ("clinical guidelines" is its subject)');
    });

    it.each([
      ['Adherence to clinical practice guidelines for low back pain: a systematic review', 'systematic_review'],
      ['Why GPs do not follow clinical guidelines: a qualitative study', 'qualitative'],
    ])('grades %j (illustrative) as %s', (title, design) => {
      expect(classifyRecord(record({ title }))).toMatchObject({ design });
    });

    it.each([
      'Hypertension clinical guideline 2000.',
      'Divalproex sodium in headache: literature review and clinical guidelines.',
      'Dementia in developing countries. A consensus statement from the 10/66 Dementia Research Group.',
    ])('keeps the guideline %j', (title) => {
      expect(classifyRecord(record({ title }))).toMatchObject({ design: 'guideline', level: 1 });
    });
  });

  describe('protocols that say so only in the abstract', () => {
    const tcmAbstract =
      'METHODS: According to the Cochrane Handbook, PubMed, MEDLINE, Embase, Web of Science, the Cochrane Library, CINAHL, China National Knowledge Infrastructure (CHKD-CNKI), Chinese Biomedical Literature database (CBM), and WANFANG database will be searched. Related randomized controlled trials (RCTs) that compared one TCM intervention with another or with 5-ASA (placebo) for mild-to-moderate UC from inceptions to February 2019 will be included. Two authors will screen the literature and extract data independently based on predesigned rules. Both classical pair-wise meta-analysis and Bayesian NMA will be conducted using R-3.4.4 and WinBUGS-1.4.3 software. RESULTS: The study results will be disseminated through a peer-reviewed journal publication or conference presentation.';
    const twhfAbstract =
      'METHODS: Six electronic databases (Medline, EMBASE, Cochrane database, Chinese National Knowledge Infrastructure, Wanfang Database and Chongqing VIP Database) will be searched for eligibility studies. Data from the included studies will be extracted and the quality of studies will be assessed. Data synthesis will be performed using Review Manager software. RESULTS: This systemic review and meta-analysis will provide synthesized result of clinical efficacy and safety of TwHF preparation for the treatment of CD.';
    it.each([
      // Real protocols' abstracts, with the protocol taken out of their titles.
      ['Traditional Chinese medicine for mild-to-moderate ulcerative colitis: a network meta-analysis of randomized controlled trials.', tcmAbstract],
      ['Efficacy and safety of Tripterygium wilfordii Hook F preparations for the treatment of Crohn disease: a systematic review and meta-analysis.', twhfAbstract],
      // Trial design papers whose titles do not say so.
      ['Comparison of irbesartan vs felodipine in the regression after 1 year of left ventricular hypertrophy in hypertensive patients (the SILVER trial).', 'A population of 360 men and women with hypertension will be randomised at approximately 80-90 European sites. Patients will be studied by two-dimensional and M-mode echocardiography at baseline, on randomisation day, and after 6 and 12 months randomised therapy.'],
      ['The Nordic Diltiazem Study (NORDIL). A prospective intervention trial of calcium antagonist therapy in hypertension.', 'Patients with primary hypertension are randomly allocated to therapy starting with either diltiazem or conventional treatment. A total of 12,000 patients will be recruited from about 480 primary Health Care Centers. Patients will be treated for an average period of 5 years.'],
      // Design papers whose titles read as the trial's report.
      ['PROTECT (Prospective Reinfarction Outcomes in the Thrombolytic Era Cardizem CD Trial): a randomized, double-blind clinical trial of diltiazem versus atenolol in secondary prophylaxis post non-Q wave myocardial infarction.', 'To describe the rationale and design of the Prospective Reinfarction Outcomes in the Thrombolytic Era Cardizem CD Trial (PROTECT). A multicentre, randomized, double-blind, parallel-group comparison of once daily beta-therapy versus heart rate lowering calcium channel blocker therapy.'],
      ['A diabetes outcome progression trial (ADOPT): an international multicenter study of the comparative efficacy of rosiglitazone, glyburide, and metformin in recently diagnosed type 2 diabetes.', 'A Diabetes Outcome Progression Trial (ADOPT) is a randomized, double-blind, parallel-group study. After run-in, patients will be randomized to rosiglitazone, glyburide, or metformin. Safety and tolerability will also be evaluated.'],
      // Illustrative: a protocol saying so.
      ['Befriending for carers of people with dementia', 'This protocol describes a systematic review of befriending. Randomised controlled trials will be eligible.'],
    ])('grades %j as other from its abstract', (title, abstract) => {
      const classified = classifyRecord(record({ title, abstract }));
      expect(classified).toMatchObject({ design: 'other', level: undefined });
      expect(classified.reason).toMatch(/^abstract says ".+": a protocol or design paper/);
    });

    it.each([
      // One future step only: the African-American Heart Failure Trial's design paper stays a trial, as do finished trials saying what comes next.
      ['Befriending for carers: a randomised controlled trial', 'Carers were randomly allocated to befriending or usual care. Longer follow-up will be needed, and carers will be recruited to a larger trial.', 'rct'],
      // A finished review reports results, whatever it says about its next update.
      ['Befriending for carers: a systematic review', 'We searched MEDLINE and Embase and included 12 studies. Loneliness fell (standardised mean difference -0.3, 95% CI -0.5 to -0.1). Studies will be included and assessed again in an update.', 'systematic_review'],
      ['Befriending for carers: a systematic review', 'We searched six databases; 14 trials met the criteria. Future trials will be needed, and will be included when the review is updated.', 'systematic_review'],
      // A title that reports results.
      ['Results of a systematic review of befriending', 'Six databases will be searched and studies will be included if they are trials.', 'systematic_review'],
    ])('keeps %j with an abstract in the future tense', expectDesign);
  });

  // Titles and abstracts from ../shared/data (cohen2006) unless noted.
  describe('trial design and baseline papers', () => {
    it('says which words of the title made it a design paper', () => {
      expect(classifyRecord(record({ title: 'Design of the Spine Patient outcomes Research Trial (SPORT).' })).reason).toBe(
        'title says "Design of the Spine Patient outcomes Research Trial (SPORT)": a protocol or design paper, not the study\'s results',
      );
    });

    it.each([
      ['Baseline characteristics of participants in the Raloxifene Use for The Heart (RUTH) trial.', 'The Raloxifene Use for The Heart (RUTH) trial is a randomized, placebo-controlled, double-blind trial.', 'Baseline characteristics'],
      ['Baseline characteristics of patients with atrial fibrillation: the AFFIRM Study.', 'The AFFIRM Study was a randomized clinical trial that compared these 2 strategies. We report the baseline characteristics of the patients enrolled.', 'Baseline characteristics'],
      ['The PRIME North America randomized double-blind clinical trial of olanzapine versus placebo in patients at risk of being prodromally symptomatic for psychosis. II. Baseline characteristics of the "prodromal" sample.', '', 'Baseline characteristics'],
      ['Quality of life of elderly patients with isolated systolic hypertension: baseline data from the Syst-Eur trial. Syst-Eur Trial Investigators.', 'The Syst-Eur trial is a randomized trial.', 'baseline data'],
    ])('grades the trial’s baseline paper %j as other', (title, abstract, phrase) => {
      expect(classifyRecord(record({ title, abstract }))).toEqual({ design: 'other', level: undefined, reason: `title says "${phrase}": a trial's baseline paper, not its results` });
    });

    it('leaves a baseline paper of an observational study its design', () => {
      // The abstract's cohort decides.
      const fields = {
        title: "Hypertension and its treatment in postmenopausal women: baseline data from the Women's Health Initiative.",
        abstract: "The Women's Health Initiative, a 40-center national study of risk factors and prevention of heart disease, breast and colorectal cancer, and osteoporosis in postmenopausal women, provides a unique opportunity to examine these issues in the largest, multiethnic, best-characterized such cohort.",
      };
      expect(classifyRecord(record(fields))).toMatchObject({ design: 'cohort' });
    });

    it.each([
      // Real trial reports with "design", "methods" or "baseline" in another sense.
      ['Comparison of the efficacy of zolmitriptan and sumatriptan: issues in migraine trial design.', "'Triptan naive' migraine patients were randomized in an 8:8:1 ratio to receive zolmitriptan 5 mg, sumatriptan 100 mg or placebo. The lack of difference between active treatments and placebo for complete response probably reflects the high placebo response obtained, which is probably a result of deficiencies in trial design. For example, the randomization ratio may result in high expectation of active treatment."],
      ['Epidural anaesthesia as a method of pre-emptive analgesia for abdominal hysterectomy.', 'The effect of pre- versus postincisional epidural blockade without the use of systemic opioids was investigated in a randomised, double-blind study of two groups of 25 patients undergoing abdominal hysterectomy performed under general anaesthesia.'],
      ['The value of end-tidal CO2 monitoring when comparing three methods of conscious sedation for children undergoing painful procedures in the emergency department.', 'Forty-two children requiring analgesia and sedation for painful ED procedures were randomly assigned to receive either fentanyl, fentanyl-midazolam, or MPC compound.'],
      ['Comparison of effects of antihypertensive drugs on heart rate: changes from baseline by baseline group and over time. Department of Veterans Affairs Cooperative Study Group on Antihypertensive Agents.', 'A randomized controlled clinical trial of 1292 ambulatory men with stage 1 or 2 hypertension was conducted in 15 Veterans Affairs medical centers.'],
      // Illustrative.
      ['Design and evaluation of a web-based decision aid for carers: a randomised controlled trial', ''],
      ['Befriending for carers in a factorial design: a randomised controlled trial', ''],
      ['Telephone support for carers by baseline loneliness: a randomised controlled trial', ''],
      ['Design and results of a randomised trial of befriending for carers', ''],
      ['Befriending for carers', 'We describe the design and results of a randomised trial: loneliness fell with befriending (p = 0.01).'],
    ])('keeps the randomised trial %j', expectTrial);
  });

  describe('protocol publication types', () => {
    it.each([
      // PubMed's type outranks the trial the title and abstract name.
      [{ title: 'Befriending for carers of people with dementia: a randomised controlled trial', abstract: 'Carers will be randomly allocated to befriending or usual care.', publicationTypes: ['Journal Article', 'Clinical Trial Protocol'] }, 'Clinical Trial Protocol'],
      [{ title: 'Befriending for carers', publicationTypes: ['Randomized Controlled Trial', 'Clinical Trial Protocol'] }, 'Clinical Trial Protocol'],
      // A publisher's article type (BMC's "Study protocol").
      [{ title: 'Exercise for depression in older people: a systematic review and meta-analysis', publicationTypes: ['Study protocol'] }, 'Study protocol'],
    ])('grades %o as other', (fields, type) => {
      expect(classifyRecord(record(fields))).toEqual({ design: 'other', level: undefined, reason: `publication type "${type}": a protocol or design paper, not the study's results` });
    });

    it('lets a design paper’s title outrank the randomised trial publication type indexers give it', () => {
      expect(classifyRecord(record({ title: 'PROTECT: rationale and design', publicationTypes: ['Randomized Controlled Trial'] }))).toMatchObject({ design: 'other' });
      expect(classifyRecord(record({ title: 'Baseline characteristics of participants in the RUTH trial', publicationTypes: ['Randomized Controlled Trial'] }))).toMatchObject({ design: 'other' });
    });

    it('does not take CINAHL’s "Protocol" (a care protocol) for a study protocol', () => {
      expect(classifyRecord(record({ title: 'Early mobilisation after hip fracture: a randomised controlled trial', publicationTypes: ['Protocol'] }))).toMatchObject({ design: 'rct' });
    });
  });

  describe('guidelines named in their own titles', () => {
    it.each([
      ['Guidelines for the management of patients with acute ischemic stroke. A statement for healthcare professionals from a special writing group of the Stroke Council, American Heart Association.', 'Guidelines'],
      ['Guidelines for the management of headache. Danish Neurological Society and the Danish Headache Society.', 'Guidelines'],
      ['ACC/AHA/ESC guidelines for the management of patients with atrial fibrillation. A report of the American College of Cardiology/American Heart Association Task Force on Practice Guidelines.', 'ACC/AHA/ESC guidelines'],
      ['Pain in terminally ill patients: guidelines for pharmacological management.', 'guidelines'],
      ['Review article: nonsteroidal anti-inflammatory drug-associated gastrointestinal complications--guidelines for prevention and treatment.', 'guidelines'],
      ['Acute migraine treatment guideline.', 'Acute migraine treatment guideline'],
      ['Practice parameter: treatment of the child with a first unprovoked seizure: Report of the Quality Standards Subcommittee of the American Academy of Neurology and the Practice Committee of the Child Neurology Society.', 'Practice parameter'],
      ['The fibromyalgia syndrome: a consensus report on fibromyalgia and disability.', 'a consensus report'],
      ['[Consensus report on the diagnosis and treatment of fibromyalgia in Catalonia].', 'Consensus report'],
      ['NIH Consensus Conference. Helicobacter pylori in peptic ulcer disease. NIH Consensus Development Panel on Helicobacter pylori in Peptic Ulcer Disease.', 'NIH Consensus Conference'],
      // Illustrative: a clinical practice guideline (the rule before these).
      ['Clinical practice guideline for the management of depression in primary care', 'Clinical practice guideline'],
    ])('grades %j as a guideline (level 1)', (title, phrase) => {
      expect(classifyRecord(record({ title }))).toEqual({ design: 'guideline', level: 1, reason: `title says "${phrase}"` });
    });

    it.each([
      // Guidelines as a study's subject, after a preposition or in a question.
      ['Medication prescribing patterns for patients with bipolar I disorder in hospital settings: adherence to published practice guidelines.', 'A total of 1864 patients with a primary discharge diagnosis of bipolar I or II disorder were identified from a large cohort of hospitalized patients.', 'cohort'],
      ['Beta-adrenergic blockers in systemic hypertension: pharmacokinetic considerations related to the current guidelines.', '', 'other'],
      ['The outcome of STOP-Hypertension-2 in relation to the 1999 WHO/ISH hypertension guidelines.', '', 'other'],
      ['Hypertension guidelines in elderly patients: is anybody listening?', '', 'other'],
      ['Treatment of cardiac risk factors in diabetic patients: How well do we follow the guidelines?', '', 'other'],
      ['Implementing guidelines for cancer pain management: results of a randomized controlled clinical trial.', '', 'rct'],
      // Illustrative: guideline adherence, and a reporting guideline for trials (a methods paper).
      ['Guideline adherence in primary care for depression', '', 'other'],
      ['CONSORT 2010 statement: updated guidelines for reporting parallel group randomised trials', '', 'other'],
      ['Guidelines for the management of depression in primary care: a systematic review', '', 'systematic_review'],
    ])('does not grade %j as a guideline: %s', expectDesign);

    it.each([
      // Guidelines from a body, ending the title; a consensus document ending a part of it; a consensus conference's report; a national consensus.
      ['Current management of aneurysmal subarachnoid hemorrhage guidelines from the Canadian Neurosurgical Society.', 'guidelines from the Canadian Neurosurgical Society'],
      ['Emergency pain management: a Canadian Association of Emergency Physicians (CAEP) consensus document.', 'consensus document'],
      ['Report of the Canadian Hypertension Society Consensus Conference: 3. Pharmacologic treatment of hypertensive disorders in pregnancy.', 'Report of the Canadian Hypertension Society Consensus Conference'],
      ['Brazilian consensus on gastroesophageal reflux disease: proposals for assessment, classification, and management.', 'Brazilian consensus on'],
      // Illustrative.
      ['Screening of adults for depression guidelines from the U.S. Preventive Services Task Force (USPSTF)', 'guidelines from the U.S. Preventive Services Task Force (USPSTF)'],
      ['Falls in care homes: the British Geriatrics Society (BGS) consensus statement', 'consensus statement'],
      ['The Second Latin-American consensus on the management of Helicobacter pylori infection', 'The Second Latin-American consensus on'],
      ['[Spanish consensus on the treatment of migraine]', 'Spanish consensus on'],
    ])('grades %j, a guideline or consensus statement, as a guideline (level 1)', (title, phrase) => {
      expect(classifyRecord(record({ title }))).toEqual({ design: 'guideline', level: 1, reason: `title says "${phrase}"` });
    });

    it('grades the consensus conference’s report as a guideline though its abstract mentions expert opinion', () => {
      const abstract = 'To provide Canadian physicians with evidence-based guidelines for the pharmacologic treatment of hypertensive disorders in pregnancy. Pertinent articles retrieved from the Cochrane Database of Systematic Reviews and from MEDLINE; additional articles retrieved through a manual search of bibliographies; and expert opinion.';
      expectDesign('Report of the Canadian Hypertension Society Consensus Conference: 3. Pharmacologic treatment of hypertensive disorders in pregnancy.', abstract, 'guideline');
    });

    it.each([
      // Real titles: adherence to guidelines, a review's current consensus, a question.
      ['Patient-reported adherence to guidelines of the Sixth Joint National Committee on Prevention, Detection, Evaluation, and Treatment of High Blood Pressure.', '', 'other'],
      ['Meperidine utilization and compliance with Agency for Health Care Policy and Research guidelines in a tertiary care hospital.', '', 'other'],
      ['Current consensus on the diagnosis and treatment of H. pylori-associated gastroduodenal disease.', '', 'other'],
      ['Beta-blockers for congestive heart failure: what is the current consensus?', '', 'other'],
      // Illustrative: adherence, use and impact of guidelines from a body; narrative reviews of guidelines and of a consensus; questions.
      ['Physician adherence to guidelines from the National Asthma Education Program', '', 'other'],
      ['Asthma in general practice: adherence to guidelines from the British Thoracic Society', '', 'other'],
      ['Use of guidelines from the American Heart Association', '', 'other'],
      ['Prescribing in heart failure: the impact of guidelines from the European Society of Cardiology', '', 'other'],
      ['A review of guidelines from the American Heart Association', '', 'other'],
      ['Hypertension in pregnancy: a narrative review of the Canadian Hypertension Society consensus document', '', 'other'],
      ['A review of the Brazilian consensus on gastroesophageal reflux disease', '', 'other'],
      ['Towards a European consensus on the management of Helicobacter pylori infection', '', 'other'],
      ['Emergency physicians’ awareness of the CAEP consensus document', '', 'other'],
      ['Should we follow guidelines from the European Society of Cardiology?', '', 'other'],
      ['Is there a Brazilian consensus on gastroesophageal reflux disease?', '', 'other'],
      ['Report of the consensus conference on pain: a survey of those who attended', '', 'cross_sectional'],
    ])('does not grade %j as a guideline: %s', expectDesign);
  });

  describe('guidelines named in the abstract of a title about guidelines', () => {
    it.each([
      // Real titles and abstracts (shortened): the abstract names the guideline whose impact or implementation the study is about.
      [
        'Elderly patients receive less aggressive medical and invasive management of unstable angina: potential impact of practice guidelines.',
        'The Agency for Health Care Policy and Research (AHCPR) released a practice guideline on the diagnosis and management of unstable angina in 1994. Retrospective cohort. Urban academic hospital. Percentage of eligible patients receiving medical treatment concordant with 8 important AHCPR guideline recommendations.',
        'cohort',
      ],
      [
        'Cancer pain management: pilot implementation of the AHCPR guideline in Utah.',
        "Using the Agency for Health Care Policy and Research's (AHCPR's) 1994 Clinical Practice Guideline for Management of Cancer Pain, HealthInsight organized a cooperative project with physicians and nurses from seven acute care hospitals in Utah. GUIDELINE DEVELOPMENT: The guidelines were further adapted to meet the needs of the individual hospitals. Survey results confirmed that attitudes about cancer pain management were changing.",
        'cross_sectional',
      ],
      ['Guideline adherence in primary care for depression', 'We describe the clinical practice guideline and how often it was followed.', 'other'],
    ])('does not grade %j as a guideline from its abstract: %s', expectDesign);

    it('still grades a record whose title names no guideline from a guideline its abstract says it is', () => {
      expectDesign('Management of depression in adults in primary care', 'This clinical practice guideline makes recommendations on the recognition and treatment of depression.', 'guideline');
    });
  });

  it('says why it decided', () => {
    expect(classifyRecord(record({ title: 'A randomised controlled trial of befriending' })).reason).toContain('randomised controlled trial');
  });
});
