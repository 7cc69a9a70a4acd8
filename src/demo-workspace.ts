import { seedDemoBriefing } from './demo-briefing.js';
import { seedDemoReview } from './demo-review.js';
import type { Actor, Role } from './core/accounts/roles.js';
import type { NeedInput } from './core/needs/need.schema.js';
import type { OrganisationType } from './core/organisations/types.js';
import type { OrganisationId, ThemeId } from './core/shared/ids.js';
import type { Services } from './compose.js';
import { seedDemoEvidence } from './demo-evidence.js';

export const DEMO_WORKSPACE_NAME = 'ARC South London (demo)';
/** Known demo password: printed at start and in the README. Never seeded in production. */
export const DEMO_PASSWORD = 'mobilise-demo';

export const demoAccounts: { email: string; name: string; role: Role; organisation: string }[] = [
  { email: 'requester@demo.mobilise.test', name: 'Priya Shah', role: 'requester', organisation: 'London Borough of Lambeth' },
  { email: 'fellow@demo.mobilise.test', name: 'Tom Okafor', role: 'fellow', organisation: "King's College London" },
  { email: 'researcher@demo.mobilise.test', name: 'Dr Hannah Clarke', role: 'researcher', organisation: "King's College London" },
  { email: 'contributor@demo.mobilise.test', name: 'Marcus Bennett', role: 'contributor', organisation: 'ARC South London Public Involvement Group' },
  { email: 'lead@demo.mobilise.test', name: 'Dr Aisha Rahman', role: 'lead', organisation: "King's College London" },
  { email: 'admin@demo.mobilise.test', name: 'Sam Taylor', role: 'admin', organisation: "King's College London" },
];

const demoOrganisations: { name: string; type: OrganisationType; website?: string }[] = [
  { name: 'Health Innovation Network South London', type: 'health_innovation_network', website: 'https://healthinnovationnetwork.com' },
  { name: "King's Health Partners", type: 'academic_health_partnership', website: 'https://www.kingshealthpartners.org' },
  { name: 'Our Healthier South East London', type: 'integrated_care_system' },
  { name: 'NHS South East London Integrated Care Board', type: 'integrated_care_board' },
  { name: 'London Borough of Lambeth', type: 'local_authority', website: 'https://www.lambeth.gov.uk' },
  { name: 'London Borough of Lewisham', type: 'local_authority', website: 'https://lewisham.gov.uk' },
  { name: 'Age UK Lewisham and Southwark', type: 'vcse' },
  { name: 'South London and Maudsley NHS Foundation Trust', type: 'provider', website: 'https://slam.nhs.uk' },
  { name: 'Peckham Community Health Champions', type: 'community_group' },
  { name: 'ARC South London Public Involvement Group', type: 'patients_and_public' },
  { name: "King's College London", type: 'university', website: 'https://www.kcl.ac.uk' },
];

const demoThemes = [
  { name: 'Children and young people', description: 'Health and wellbeing from pregnancy to early adulthood' },
  { name: 'Mental health', description: 'Prevention, early intervention and care for mental health conditions' },
  { name: 'Multimorbidity and long-term conditions', description: 'People living with several long-term conditions' },
  { name: 'Palliative and end of life care', description: 'Care and support towards the end of life' },
  { name: 'Social care', description: 'Adult social care, carers and care homes' },
  { name: 'Public health and health inequalities', description: 'Prevention and fair access across communities' },
  { name: 'Alcohol and substance use', description: 'Alcohol, drugs and addiction services' },
];

/** Seeds the demo workspace into an empty database; returns false when the database already has accounts. */
export const seedDemoWorkspace = async (services: Services, today: Date): Promise<boolean> => {
  const { db, accounts, directory, needs, triage } = services;
  const [existing] = await db.query<{ count: number }>('select count(*)::int as count from users');
  if ((existing?.count ?? 0) > 0) {
    return false;
  }
  await db.query('insert into workspace (name) values ($1) on conflict (id) do nothing', [DEMO_WORKSPACE_NAME]);
  const organisationIds = new Map<string, OrganisationId>();
  for (const organisation of demoOrganisations) {
    // eslint-disable-next-line no-await-in-loop -- a dozen rows once, in a fixed order
    const created = await directory.createOrganisation(undefined, organisation);
    organisationIds.set(organisation.name, created.id);
  }
  const themeIds = new Map<string, ThemeId>();
  for (const theme of demoThemes) {
    // eslint-disable-next-line no-await-in-loop -- as above
    themeIds.set(theme.name, (await directory.createTheme(undefined, theme)).id);
  }
  // scrypt runs on libuv's thread pool, so the six hashes overlap instead of queueing.
  const created = await Promise.all(
    demoAccounts.map((account) =>
      accounts.createUser(undefined, { ...account, organisationId: organisationIds.get(account.organisation), password: DEMO_PASSWORD }),
    ),
  );
  const actors = new Map<Role, Actor>(created.map((user) => [user.role, { userId: user.id, role: user.role, organisationId: user.organisationId, name: user.name }]));
  await seedDemoPeople(services, organisationIds, themeIds);

  const requester = actors.get('requester');
  const fellow = actors.get('fellow');
  if (!requester || !fellow) {
    throw new Error('demo accounts missing');
  }
  const inDays = (days: number): string => new Date(today.getTime() + days * 86_400_000).toISOString().slice(0, 10);
  const theme = (name: string): string[] => {
    const id = themeIds.get(name);
    return id ? [id] : [];
  };
  const base = { decisionMaker: '', population: '', setting: '', triedSoFar: '', isPublic: false, shareWithArcs: false, themeIds: [] } satisfies Partial<NeedInput>;
  const loneliness = await needs.submitNeed(requester, {
    ...base,
    title: 'Reducing loneliness in older people living at home',
    question: 'Which community interventions reduce loneliness and social isolation among people over 65 living alone, and what do they cost?',
    decision: 'Whether to recommission the befriending service or fund social prescribing link workers from April',
    decisionMaker: 'Adult Social Care commissioning board, Lambeth',
    population: 'Adults over 65 living alone, many with long-term conditions',
    setting: 'Community, inner-city London borough',
    triedSoFar: 'A telephone befriending pilot in 2024 with low uptake among men',
    deadlineOn: inDays(45),
    urgency: 'soon',
    audiences: ['board', 'practitioners'],
    themeIds: [...theme('Social care'), ...theme('Public health and health inequalities')],
    isPublic: true,
    shareWithArcs: true,
  });
  await needs.submitNeed(requester, {
    ...base,
    title: 'Supporting young carers in secondary schools',
    question: 'What school-based support improves wellbeing and attendance for young carers aged 11 to 18?',
    decision: 'Design of a pilot with three secondary schools in the borough',
    decisionMaker: "Children's services leadership team",
    population: 'Young carers aged 11 to 18',
    setting: 'Secondary schools',
    deadlineOn: inDays(90),
    urgency: 'routine',
    audiences: ['practitioners', 'public'],
    themeIds: theme('Children and young people'),
  });
  const alcohol = await needs.submitNeed(requester, {
    ...base,
    title: 'Alcohol brief interventions in emergency departments',
    question: 'Are alcohol brief interventions delivered in emergency departments effective at reducing harmful drinking at 12 months?',
    decision: 'Whether to fund alcohol care team nurses in the emergency department next year',
    decisionMaker: 'Public health directorate',
    deadlineOn: inDays(12),
    urgency: 'urgent',
    audiences: ['board'],
    themeIds: theme('Alcohol and substance use'),
  });
  const palliative = await needs.submitNeed(fellow, {
    ...base,
    requesterId: requester.userId,
    title: 'Advance care planning for people with dementia in care homes',
    question: 'What approaches to advance care planning work for people with dementia living in care homes, and how are families best involved?',
    decision: 'Training offer for care home staff across south east London',
    decisionMaker: 'ICB end of life care programme board',
    population: 'People with dementia in care homes and their families',
    setting: 'Care homes',
    deadlineOn: inDays(120),
    urgency: 'routine',
    audiences: ['practitioners'],
    themeIds: theme('Palliative and end of life care'),
  });
  await triage.triageNeed(fellow, loneliness.id, { action: 'accept', tier: 'rapid_review', supportKinds: ['evidence_review', 'briefing'], fellowIds: [fellow.userId] });
  await needs.addComment(fellow, loneliness.id, {
    body: 'Thank you, Priya. We will start with existing systematic reviews of befriending and social prescribing. Could you share the uptake figures from the 2024 pilot?',
    isInternal: false,
  });
  await needs.addComment(fellow, loneliness.id, { body: 'Check the NIHR Evidence alert on social prescribing from last year.', isInternal: true });
  await triage.triageNeed(fellow, palliative.id, { action: 'accept', tier: 'partnership', supportKinds: ['collaboration', 'ppi_codesign'], fellowIds: [fellow.userId] });
  await triage.changeStatus(fellow, palliative.id, { status: 'in_progress' });
  const researcher = actors.get('researcher');
  if (researcher) {
    const palliative = themeIds.get('Palliative and end of life care');
    await directory.updateMyProfile(researcher, {
      expertise: 'dementia, advance care planning, care homes, families, qualitative methods, palliative care',
      themeIds: palliative ? [palliative] : [],
    });
  }
  await seedDemoEvidence(services);
  await seedDemoReview(services, { fellow, researcher, needId: loneliness.id });
  const lead = actors.get('lead');
  if (lead) {
    await seedDemoBriefing(services, { fellow, lead, needId: alcohol.id });
  }
  return true;
};

const seedDemoPeople = async (services: Services, organisationIds: Map<string, OrganisationId>, themeIds: Map<string, ThemeId>): Promise<void> => {
  const people = [
    { name: 'Grace Mensah', jobTitle: 'Public health consultant', organisation: 'London Borough of Lewisham', themes: ['Public health and health inequalities'] },
    { name: 'Dr Oliver Hughes', jobTitle: 'Clinical lead, mental health', organisation: 'NHS South East London Integrated Care Board', themes: ['Mental health'] },
    { name: 'Fatima Begum', jobTitle: 'Volunteer coordinator', organisation: 'Age UK Lewisham and Southwark', themes: ['Social care'] },
  ];
  for (const person of people) {
    // eslint-disable-next-line no-await-in-loop -- three rows once
    await services.directory.createPerson(undefined, {
      name: person.name,
      email: undefined,
      jobTitle: person.jobTitle,
      organisationId: organisationIds.get(person.organisation),
      userId: undefined,
      themeIds: person.themes.flatMap((theme) => themeIds.get(theme) ?? []),
    });
  }
};
