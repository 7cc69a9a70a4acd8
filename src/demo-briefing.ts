import type { Actor } from './core/accounts/roles.js';
import type { NeedId } from './core/shared/ids.js';
import type { Services } from './compose.js';

/**
 * A delivered need with its briefing, for the demo: the alcohol need is answered quickly from the
 * two matching records in the demo library, reviewed by the lead and delivered, which schedules its
 * follow-ups. Written against the use cases, as a fellow would do it in the browser.
 */
export const seedDemoBriefing = async (services: Services, { fellow, lead, needId }: { fellow: Actor; lead: Actor; needId: NeedId }): Promise<void> => {
  const { triage, evidence, matching, briefings } = services;
  await triage.triageNeed(fellow, needId, { action: 'accept', tier: 'quick_answer', supportKinds: ['briefing'], fellowIds: [fellow.userId] });
  await triage.changeStatus(fellow, needId, { status: 'in_progress' });
  const { records } = await evidence.listRecords(fellow, { text: 'Alcohol', limit: 10, offset: 0 });
  const review = records.find((record) => record.title.startsWith('Alcohol brief interventions'));
  const cohort = records.find((record) => record.title.startsWith('Alcohol care teams'));
  for (const record of [review, cohort]) {
    if (record) {
      await matching.pinEvidence(fellow, needId, record.id, '');
    }
  }
  const briefing = await briefings.create(fellow, { template: 'decision', title: 'Alcohol care in the emergency department: decision briefing', needId, citationStyle: 'vancouver' });
  await briefings.save(fellow, briefing.id, {
    baseVersion: 1,
    note: 'First draft',
    sections: [
      {
        key: 'bottom_line',
        body: 'Brief advice in the emergency department reduces harmful drinking a little at 12 months [@1]. Alcohol care teams are linked with fewer admissions, though the evidence is weaker [@2].',
      },
      {
        key: 'key_messages',
        body: '- Brief advice takes 5 to 10 minutes and works best with a follow-up call [@1].\n- The effect at 12 months is small but matters across many patients [@1].\n- Hospitals with alcohol care teams saw fewer repeat admissions [@2].',
      },
      {
        key: 'evidence',
        body: 'One systematic review of trials [@1] and one cohort study [@2]. We are moderately sure about brief advice and less sure about alcohol care teams, because a cohort study cannot rule out other reasons for the change.',
      },
      { key: 'implications', body: 'About 1 in 5 attendances at our emergency department involve alcohol. Two nurses could screen most of them on weekday evenings.' },
      { key: 'options', body: '1. Fund two alcohol care team nurses for a year and measure repeat attendances.\n2. Train existing staff to give brief advice, at lower cost.\n3. Wait for the regional evaluation due next year.' },
    ],
  });
  await briefings.changeStatus(fellow, briefing.id, 'in_review');
  await briefings.changeStatus(lead, briefing.id, 'approved');
  await briefings.changeStatus(lead, briefing.id, 'delivered');
};
