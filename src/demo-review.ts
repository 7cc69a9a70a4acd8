import type { Actor } from './core/accounts/roles.js';
import type { NeedId } from './core/shared/ids.js';
import type { Services } from './compose.js';

/**
 * A rapid review for the demo loneliness need: its records come from the demo library (so that
 * `npm start` shows a review with something to screen), with a few decisions already made.
 */
export const seedDemoReview = async (services: Services, { fellow, researcher, needId }: { fellow: Actor; researcher: Actor | undefined; needId: NeedId }): Promise<void> => {
  const { reviews, evidence, extraction } = services;
  const review = await reviews.createReview(fellow, {
    needId,
    title: 'Community interventions for loneliness in older people: rapid review',
    question: 'Which community interventions reduce loneliness and social isolation among people over 65 living alone?',
    framework: 'pico',
    frameworkFields: { population: 'Adults over 65 living alone', intervention: 'Befriending, social prescribing, group activities', comparison: 'Usual care', outcome: 'Loneliness, social isolation, wellbeing' },
    inclusionCriteria: 'Systematic reviews, trials and evaluations of community interventions for older people in high-income countries',
    exclusionCriteria: 'Care home residents; people under 65 only',
    exclusionReasons: ['Wrong population', 'Wrong intervention', 'Wrong outcomes', 'Wrong study design'],
    includeKeywords: ['loneliness', 'isolation', 'befriending', 'social prescribing'],
    excludeKeywords: ['children', 'adolescents'],
    isDual: false,
    isBlind: true,
    model: 'nb',
    randomShare: 0,
  });
  if (researcher) {
    await reviews.setTeam(fellow, review.id, {
      members: [
        { userId: fellow.userId, role: 'lead' },
        { userId: researcher.userId, role: 'screener' },
      ],
    });
  }
  // An extraction form of the kind a rapid review of interventions starts from, so that the
  // Extraction tab shows a form to fill in once a record is included at full text.
  await extraction.saveForm(fellow, review.id, {
    fields: [
      { label: 'Country and setting', kind: 'text', choices: [], columns: [], isRequired: true },
      { label: 'Intervention type', kind: 'choice', choices: ['Befriending', 'Social prescribing', 'Group activities', 'Digital or telephone', 'Other'], columns: [], isRequired: true },
      { label: 'Participants (n)', kind: 'number', choices: [], columns: [], isRequired: false },
      { label: 'Mean age (years)', kind: 'number', choices: [], columns: [], isRequired: false },
      { label: 'Outcomes', kind: 'table', choices: [], columns: ['Outcome', 'Measure', 'Time point', 'Effect (95% CI)'], isRequired: false },
      { label: 'Notes for the briefing', kind: 'text', choices: [], columns: [], isRequired: false },
    ],
  });
  const { records } = await evidence.listRecords(fellow, { limit: 200, offset: 0 });
  if (records.length === 0) {
    return;
  }
  await reviews.addRecords(fellow, review.id, { recordIds: records.map((record) => record.id), source: 'library' });
  await reviews.setStatus(fellow, review.id, 'screening');
  // Two decisions, one each way, so that the model already orders the rest.
  const first = await reviews.nextCard(fellow, review.id, 'title_abstract');
  if (first) {
    await reviews.decide(fellow, review.id, { recordId: first.record.id, stage: 'title_abstract', decision: 'include', modelVersion: first.order.modelVersion, rankPosition: first.order.position });
  }
  const overview = await reviews.overview(fellow, review.id);
  const unrelated = overview.progress.at(-1);
  if (unrelated && unrelated.recordId !== first?.record.id) {
    await reviews.decide(fellow, review.id, { recordId: unrelated.recordId, stage: 'title_abstract', decision: 'exclude', reason: 'Wrong population' });
  }
};
