import { emptyRecord, type ParseEvent, type RecordFields } from './core/evidence/record.js';
import type { Services } from './compose.js';

/**
 * A small demo library on the demo needs' topics. The records are written for the demo (no real
 * DOIs or PMIDs) and include one near-duplicate pair so that the duplicates page has work to show.
 */
const demoRecords: Partial<RecordFields>[] = [
  {
    title: 'Befriending interventions for loneliness in older adults living at home: a systematic review and meta-analysis',
    abstract: 'We searched MEDLINE, Embase and PsycINFO for randomised trials of befriending for adults over 65. Twelve trials were included. Befriending reduced loneliness modestly at six months; effects on depression were uncertain.',
    authors: ['Hughes, Amelia', 'Osei, Kwame', 'Lindqvist, Sara'],
    year: 2023,
    journal: 'Age and Ageing (demo)',
    keywords: ['loneliness', 'befriending', 'older adults'],
    sourceDatabase: 'MEDLINE',
  },
  {
    title: 'Social prescribing link workers and loneliness: a cluster randomised controlled trial in inner-city general practice',
    abstract: 'Sixty practices were randomly allocated to link workers or usual care. At 12 months loneliness scores were lower in the intervention arm; uptake was lower among men.',
    authors: ['Begum, Nadia', 'Clarke, Peter'],
    year: 2022,
    journal: 'British Journal of General Practice (demo)',
    keywords: ['social prescribing', 'loneliness', 'primary care'],
    sourceDatabase: 'Embase',
  },
  {
    title: 'Cost-effectiveness of social prescribing for older people at risk of loneliness',
    abstract: 'An economic evaluation alongside a trial. The incremental cost per QALY gained was below the NICE threshold in the base case.',
    authors: ['Patel, Ravi', 'Hughes, Amelia'],
    year: 2023,
    journal: 'Health Economics Review (demo)',
    sourceDatabase: 'Embase',
  },
  {
    title: 'Older men’s experiences of telephone befriending: a qualitative study',
    abstract: 'We conducted semi-structured interviews with 24 men and used thematic analysis. Men valued practical conversation and disliked being labelled lonely.',
    authors: ['Okafor, Tom', 'Bennett, Marcus'],
    year: 2024,
    journal: 'Health and Social Care in the Community (demo)',
    sourceDatabase: 'CINAHL',
  },
  {
    title: 'School-based support for young carers: a cross-sectional survey of wellbeing and attendance',
    abstract: 'A survey of 1,200 pupils aged 11 to 18 in three boroughs. Young carers reported lower wellbeing and more absence; named staff contacts were associated with better attendance.',
    authors: ['Mensah, Grace'],
    year: 2021,
    journal: 'Child: Care, Health and Development (demo)',
    sourceDatabase: 'PsycINFO',
  },
  {
    title: 'Alcohol brief interventions in emergency departments: systematic review of effectiveness at 12 months',
    abstract: 'Systematic review of 18 randomised trials. Brief interventions delivered in emergency departments reduced weekly alcohol consumption at 12 months by a small amount.',
    authors: ['Rahman, Aisha', 'Gordon, Iain'],
    year: 2020,
    journal: 'Addiction (demo)',
    sourceDatabase: 'MEDLINE',
  },
  {
    title: 'Alcohol care teams and hospital admissions: a retrospective cohort study',
    abstract: 'A retrospective cohort of 40,000 patients with alcohol-related attendances. Hospitals with alcohol care teams had fewer readmissions over two years.',
    authors: ['Gordon, Iain'],
    year: 2021,
    journal: 'BMJ Open (demo)',
    sourceDatabase: 'Scopus',
  },
  {
    title: 'Advance care planning for people with dementia in care homes: clinical guideline',
    abstract: 'Recommendations for care home staff on starting conversations early, involving families and reviewing plans.',
    authors: ['National Guideline Centre (demo)'],
    year: 2022,
    journal: 'Guideline (demo)',
    publicationTypes: ['Practice Guideline'],
    sourceDatabase: 'Cochrane Library',
  },
  {
    title: 'Families’ involvement in advance care planning in care homes: a qualitative study',
    abstract: 'Focus groups with relatives of residents with dementia. Families wanted earlier, repeated conversations and clear documentation.',
    authors: ['Clarke, Hannah', 'Taylor, Sam'],
    year: 2023,
    journal: 'Palliative Medicine (demo)',
    sourceDatabase: 'CINAHL',
  },
  {
    title: 'Families’ involvement in advance care planning in care homes: a qualitative study',
    abstract: 'Focus groups with relatives of residents with dementia.',
    authors: ['Clarke, H'],
    year: 2024,
    journal: 'Palliat Med (demo)',
    sourceDatabase: 'MEDLINE',
  },
];

async function* demoEvents(): AsyncGenerator<ParseEvent> {
  let line = 1;
  for (const fields of demoRecords) {
    yield { kind: 'record', line, fields: { ...emptyRecord(), ...fields } as RecordFields };
    line += 12;
  }
}

/** Imports the demo records into the main library, as a file import would. */
export const seedDemoEvidence = (services: Services) =>
  services.evidenceImport.importRecords(undefined, {
    fileName: 'demo-records.ris',
    format: 'ris',
    events: demoEvents(),
    fileSha256: () => 'demo',
    searchQuery: 'demo: loneliness OR young carers OR alcohol OR advance care planning',
  });
