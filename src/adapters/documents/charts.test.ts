import { SaxesParser } from 'saxes';
import { describe, expect, it } from 'vitest';
import { buildFigures, type Figure } from '../../core/dashboard/figures.js';
import type { ScreeningCurve } from '../../core/reviews/screening-curve.js';
import { chartSpec, renderChartSvg, renderScreeningCurveSvg, screeningCurveSpec } from './charts.js';
import { dashboardCsv, figureCsv } from './dashboard-csv.js';

const range = { from: '2026-01-01', to: '2026-02-28' };
const figures = buildFigures(range, {
  needs: [
    { receivedOn: '2026-01-05', deliveredOn: '2026-02-04', daysToFirstResponse: 1, daysToDelivery: 30, themes: ['Ageing & “frailty”'], organisationType: 'vcse', tier: 'quick_answer' },
    { receivedOn: '2026-02-10', deliveredOn: undefined, daysToFirstResponse: 2, daysToDelivery: undefined, themes: [], organisationType: undefined, tier: undefined },
  ],
  followups: [{ months: 1, isAnswered: true }],
  impacts: [{ uses: ['shared'], kinds: ['conceptual'] }],
  activities: [{ kind: 'briefing', count: 1, hours: 2.5 }],
});
const figure = (id: string): Figure => {
  const found = figures.find((candidate) => candidate.id === id);
  if (!found) {
    throw new Error(`no figure ${id}`);
  }
  return found;
};

/** Parses the SVG as XML (throwing on anything not well-formed); returns the root's attributes and the title and desc. */
const parseSvg = (svg: string) => {
  const parser = new SaxesParser();
  const found = { root: '', attributes: {} as Record<string, string>, title: '', desc: '', texts: [] as string[] };
  const open: string[] = [];
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    if (!found.root) {
      found.root = tag.name;
      found.attributes = tag.attributes as Record<string, string>;
    }
    open.push(tag.name);
  });
  parser.on('closetag', () => open.pop());
  parser.on('text', (text) => {
    const current = open.at(-1);
    if (current === 'title' && open.length === 2) {
      found.title += text;
    } else if (current === 'desc' && open.length === 2) {
      found.desc += text;
    } else if (current === 'text') {
      found.texts.push(text);
    }
  });
  parser.write(svg).close();
  return found;
};

describe('dashboard charts', () => {
  it('renders a grouped bar chart to well-formed SVG named by its title and described in words', async () => {
    const svg = (await renderChartSvg(figure('needs-per-month'))) ?? '';
    const parsed = parseSvg(svg);
    expect(parsed.root).toBe('svg');
    expect(parsed.attributes).toMatchObject({ role: 'img', 'aria-labelledby': 'chart-needs-per-month-title chart-needs-per-month-desc', id: 'chart-needs-per-month' });
    expect(parsed.title).toBe('Needs received and delivered per month');
    expect(parsed.desc).toBe(figure('needs-per-month').description);
    expect(parsed.texts).toEqual(expect.arrayContaining(['Needs received and delivered per month', 'Jan 2026', 'Feb 2026', 'Received', 'Delivered']));
  });

  it('escapes names in the chart and its title', async () => {
    const svg = (await renderChartSvg(figure('needs-by-theme'))) ?? '';
    expect(parseSvg(svg).texts).toContain('Ageing & “frailty”');
    expect(svg).not.toContain('Ageing & ');
  });

  it('plots the figure’s own numbers, leaving out values not yet measurable', () => {
    const spec = chartSpec(figure('response-times')) as { data: { values: unknown[] } };
    expect(spec.data.values).toEqual([
      { category: 'Time to first response', series: 'Median days', value: 1.5 },
      { category: 'Time to first response', series: 'Mean days', value: 1.5 },
      { category: 'Time to delivery', series: 'Median days', value: 30 },
      { category: 'Time to delivery', series: 'Mean days', value: 30 },
    ]);
    expect(chartSpec(figure('headline'))).toBeUndefined();
  });
});

describe('dashboard CSV', () => {
  it('writes one figure as UTF-8 CSV with a byte-order mark, labelled columns and empty cells for missing values', () => {
    expect(figureCsv(figure('needs-by-theme'))).toBe('\uFEFFTheme,Needs received,Needs delivered,Median days to delivery\nAgeing & “frailty”,1,1,30\nNo theme,1,0,\n');
  });

  it('writes every figure in one file, one number per row', () => {
    const lines = dashboardCsv(figures, range).replace('\uFEFF', '').trim().split('\n');
    expect(lines[0]).toBe('figure,title,category,measure,value,from,to');
    expect(lines).toContain('needs-per-month,Needs received and delivered per month,Feb 2026,Delivered,1,2026-01-01,2026-02-28');
    expect(lines).toContain('followup-responses,Follow-up response rate,All follow-ups,Response rate (%),100,2026-01-01,2026-02-28');
    expect(lines).toContain('headline,Headline figures,Median days to delivery,Value,30,2026-01-01,2026-02-28');
    const numbers = figures.reduce((sum, each) => sum + each.rows.length * each.columns.filter((column) => column.kind !== 'text').length, 0);
    expect(lines).toHaveLength(numbers + 1);
  });

  it('guards a theme a spreadsheet would run as a formula, leaving the numbers as numbers', () => {
    const hostile = buildFigures(range, {
      needs: [
        // A negative figure cannot happen, but shows that a number is never guarded.
        { receivedOn: '2026-01-05', deliveredOn: undefined, daysToFirstResponse: -1, daysToDelivery: undefined, themes: ['=HYPERLINK("http://evil","x")', '-2+3'], organisationType: undefined, tier: undefined },
      ],
      followups: [],
      impacts: [],
      activities: [],
    });
    const byTheme = hostile.find((candidate) => candidate.id === 'needs-by-theme') as Figure;
    expect(figureCsv(byTheme)).toBe(`\uFEFFTheme,Needs received,Needs delivered,Median days to delivery\n'-2+3,1,0,\n"'=HYPERLINK(""http://evil"",""x"")",1,0,\n`);
    const lines = dashboardCsv(hostile, range).split('\n');
    expect(lines).toContain("needs-by-theme,Needs by theme,'-2+3,Needs received,1,2026-01-01,2026-02-28");
    expect(lines).toContain('response-times,Time to first response and to delivery,Time to first response,Median days,-1,2026-01-01,2026-02-28');
  });
});

describe('the screening curve chart', () => {
  const curve: ScreeningCurve = {
    screened: 300,
    included: 4,
    totalRecords: 1000,
    seedDecisions: 2,
    seedIncluded: 1,
    points: [[0, 0], [1, 1], [20, 2], [45, 3], [250, 4], [300, 4]],
    knee: [45, 3],
    lineFrom: [2, 1],
    sinceLastInclusion: 50,
    rows: [],
    title: 'Inclusions found as titles and abstracts were screened',
    description: '300 records of 1,000 screened <& so on>.',
  };

  it('draws the staircase, the knee method’s dashed line and the knee, named and described for screen readers', async () => {
    const parsed = parseSvg((await renderScreeningCurveSvg(curve)) ?? '');
    expect(parsed.root).toBe('svg');
    expect(parsed.attributes).toMatchObject({ role: 'img', 'aria-labelledby': 'chart-screening-curve-title chart-screening-curve-desc', id: 'chart-screening-curve' });
    expect(parsed.title).toBe(curve.title);
    expect(parsed.desc).toBe(curve.description);
    expect(parsed.texts).toEqual(expect.arrayContaining(['knee', 'Records screened', 'Inclusions found']));
    const spec = JSON.stringify(screeningCurveSpec(curve));
    expect(spec).toContain('"interpolate":"step-after"');
    expect(spec).toContain('"strokeDash":[6,5]');
  });

  it('draws nothing before the first decision, and no knee before there is one', async () => {
    expect(await renderScreeningCurveSvg({ ...curve, screened: 0, included: 0, points: [[0, 0]], knee: undefined, lineFrom: [0, 0] })).toBeUndefined();
    const parsed = parseSvg((await renderScreeningCurveSvg({ ...curve, knee: undefined })) ?? '');
    expect(parsed.texts).not.toContain('knee');
  });
});
