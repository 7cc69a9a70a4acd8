import type { Audience, Template } from './types.js';

export interface SectionTemplate {
  key: string;
  heading: string;
  /** What to write here, shown as the field's hint. */
  guidance: string;
}

export interface TemplateDefinition {
  label: string;
  audience: Audience;
  description: string;
  sections: SectionTemplate[];
}

/**
 * The four kinds of briefing and their sections. The decision briefing follows the structure the
 * issue asks for (question, bottom line, key messages, evidence and certainty, local implications,
 * options, references); references are generated from the evidence list, not written by hand.
 */
export const templateDefinitions: Record<Template, TemplateDefinition> = {
  decision: {
    label: 'Decision briefing',
    audience: 'decision_makers',
    description: 'For a decision maker weighing a choice: the answer first, then the evidence and the options.',
    sections: [
      { key: 'question', heading: 'The question', guidance: 'The question as the decision maker asked it, and the decision it informs.' },
      { key: 'bottom_line', heading: 'Bottom line', guidance: 'The answer in two or three sentences.' },
      { key: 'key_messages', heading: 'Key messages', guidance: 'Three to five bullet points (start each line with "- "), each citing its evidence, e.g. [@1].' },
      { key: 'evidence', heading: 'What the evidence says and how certain it is', guidance: 'The main findings, the kind of studies behind them and how much to trust them.' },
      { key: 'implications', heading: 'Implications for our area', guidance: 'What this means locally: population, services, costs, inequalities.' },
      { key: 'options', heading: 'Options', guidance: 'The choices open to the decision maker, with what each would mean.' },
    ],
  },
  practitioner: {
    label: 'Evidence summary for practitioners',
    audience: 'practitioners',
    description: 'For people delivering a service: what works, for whom, and how to do it.',
    sections: [
      { key: 'question', heading: 'The question', guidance: 'What practitioners asked.' },
      { key: 'summary', heading: 'Summary', guidance: 'The answer in a short paragraph.' },
      { key: 'what_works', heading: 'What works, for whom', guidance: 'The approaches the evidence supports, citing each, e.g. [@2].' },
      { key: 'in_practice', heading: 'Putting it into practice', guidance: 'Practical steps, resources, training.' },
      { key: 'gaps', heading: 'What we do not know yet', guidance: 'Gaps and uncertainties.' },
    ],
  },
  public: {
    label: 'Plain-language summary for the public',
    audience: 'public',
    description: 'For patients, carers and the public: short sentences and everyday words (reading age 9 to 11).',
    sections: [
      { key: 'why', heading: 'Why we looked at this', guidance: 'Who asked and why it matters, in everyday words.' },
      { key: 'what_we_found', heading: 'What we found', guidance: 'The main findings in short sentences.' },
      { key: 'what_it_means', heading: 'What this means for you', guidance: 'What people can do or expect.' },
      { key: 'how_sure', heading: 'How sure we are', guidance: 'How strong the evidence is, plainly.' },
    ],
  },
  board: {
    label: 'Board paper',
    audience: 'board',
    description: 'For a board or committee: the recommendation, the evidence and the risks.',
    sections: [
      { key: 'purpose', heading: 'Purpose of the paper', guidance: 'What the board is asked to do.' },
      { key: 'recommendation', heading: 'Recommendation', guidance: 'The recommendation in one or two sentences.' },
      { key: 'background', heading: 'Background', guidance: 'How the question arose.' },
      { key: 'evidence', heading: 'Evidence', guidance: 'The findings and their certainty, citing each, e.g. [@1].' },
      { key: 'finance', heading: 'Financial and resource implications', guidance: 'Costs, savings and staffing.' },
      { key: 'risks', heading: 'Risks and inequalities', guidance: 'Risks, equality impact and mitigations.' },
    ],
  },
};

export const templateLabels = Object.fromEntries(Object.entries(templateDefinitions).map(([key, value]) => [key, value.label])) as Record<Template, string>;
