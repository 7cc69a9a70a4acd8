import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Figure } from '../../core/dashboard/figures.js';
import type { ScreeningCurve } from '../../core/reviews/screening-curve.js';
import { escapeXml } from './prisma-svg.js';

/**
 * Dashboard charts: a Vega-Lite spec per figure, compiled to Vega and rendered to SVG on the server
 * (renderer 'none', so no canvas or browser is needed). See docs/decisions for why Vega-Lite.
 */

/** NHS blue and NHS dark pink: each at least 3:1 against white (WCAG 1.4.11), and told apart without colour by the legend and the table. */
const SERIES_COLOURS = ['#005eb8', '#ae2573', '#007f3b', '#330072'];

/** One bar per (category, series) pair; missing values (nothing to measure yet) are left out. */
const chartValues = (figure: Figure) => {
  const chart = figure.chart;
  if (!chart) {
    return [];
  }
  const labels = new Map(figure.columns.map((column) => [column.key, column.label]));
  return figure.rows.flatMap((row) =>
    chart.values.flatMap((key) => {
      const value = row[key];
      return typeof value === 'number' ? [{ category: String(row[chart.category] ?? ''), series: labels.get(key) ?? key, value }] : [];
    }),
  );
};

/** The figure's chart as a Vega-Lite spec: bars, grouped when the figure plots several columns. */
export const chartSpec = (figure: Figure): TopLevelSpec | undefined => {
  const chart = figure.chart;
  if (!chart) {
    return undefined;
  }
  const categoryTitle = figure.columns.find((column) => column.key === chart.category)?.label ?? chart.category;
  const grouped = chart.values.length > 1;
  const isCount = chart.values.every((key) => figure.columns.find((column) => column.key === key)?.kind === 'count');
  // Across the page, the category names speak for themselves: an axis title there would crowd them.
  const category = { field: 'category', type: 'nominal' as const, sort: null, title: chart.horizontal ? null : categoryTitle, axis: { labelLimit: 400, ...(chart.horizontal ? {} : { labelAngle: -40 }) } };
  const value = { field: 'value', type: 'quantitative' as const, title: chart.axisTitle, axis: isCount ? { tickMinStep: 1, format: 'd' } : {} };
  const series = { field: 'series', type: 'nominal' as const, sort: null, title: null, scale: { range: SERIES_COLOURS }, legend: grouped ? { orient: 'top' as const } : null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: figure.title,
    description: figure.description,
    data: { values: chartValues(figure) },
    mark: { type: 'bar' },
    ...(chart.horizontal ? { width: 480, height: { step: grouped ? 12 : 20 } } : { width: { step: grouped ? 20 : 28 }, height: 240 }),
    encoding: chart.horizontal
      ? { y: category, x: value, color: series, ...(grouped ? { yOffset: { field: 'series', sort: null } } : {}) }
      : { x: category, y: value, color: series, ...(grouped ? { xOffset: { field: 'series', sort: null } } : {}) },
    config: chartConfig,
  };
};

/**
 * The chart as a standalone SVG document's root element: `role="img"`, named by a `<title>` and
 * described by a `<desc>` (the figure's description in words), so screen readers announce it.
 */
export const renderChartSvg = async (figure: Figure): Promise<string | undefined> => {
  const spec = chartSpec(figure);
  return spec ? accessibleSvg(spec, `chart-${figure.id}`, figure.title, figure.description) : undefined;
};

/** Renders a Vega-Lite spec to SVG as one image named by `title` and described by `description`. */
const accessibleSvg = async (spec: TopLevelSpec, id: string, title: string, description: string): Promise<string> => {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    // Vega still marks groups and marks as graphics objects; inside one named image they are noise
    // (axe reads a graphics-symbol as an image without a name), so every role and ARIA attribute goes.
    const svg = (await view.toSVG()).replace(/\s(?:role|aria-[a-z]+)="[^"]*"/g, '');
    return svg.replace(
      /^<svg ([^>]*)>/,
      (_whole, attributes: string) =>
        `<svg ${attributes.replace(/\s*class="marks"/, '')} role="img" aria-labelledby="${id}-title ${id}-desc" id="${id}"><title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>`,
    );
  } finally {
    view.finalize();
  }
};

const chartConfig = {
  font: 'Arial, Helvetica, sans-serif',
  // The SVG is one image named by its title and description (`accessibleSvg`); its parts are not read out one by one.
  aria: false,
  axis: { labelFontSize: 12, titleFontSize: 12, labelColor: '#212b32', titleColor: '#212b32' },
  legend: { labelFontSize: 12, labelColor: '#212b32' },
  title: { fontSize: 16, anchor: 'start' as const, color: '#212b32' },
  view: { stroke: null },
};

/**
 * A review's gain curve as a Vega-Lite spec: inclusions found against records screened as a
 * staircase, the knee method's straight line (dashed) and its knee (a point, labelled).
 */
export const screeningCurveSpec = (curve: ScreeningCurve): TopLevelSpec => {
  const x = { field: 'screened', type: 'quantitative' as const, title: 'Records screened', scale: { domain: [0, Math.max(curve.screened, 1)] }, axis: { tickMinStep: 1, format: 'd' } };
  const y = { field: 'found', type: 'quantitative' as const, title: 'Inclusions found', scale: { domain: [0, Math.max(curve.included, 1)] }, axis: { tickMinStep: 1, format: 'd' } };
  const knee = curve.knee ? [{ screened: curve.knee[0], found: curve.knee[1], label: 'knee' }] : [];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: curve.title,
    description: curve.description,
    width: 520,
    height: 240,
    layer: [
      {
        data: { values: [{ screened: curve.lineFrom[0], found: curve.lineFrom[1] }, { screened: curve.screened, found: curve.included }] },
        mark: { type: 'line', strokeDash: [6, 5], color: '#768692', strokeWidth: 1.5 },
        encoding: { x, y },
      },
      {
        data: { values: curve.points.map(([screened, found]) => ({ screened, found })) },
        mark: { type: 'line', interpolate: 'step-after', color: SERIES_COLOURS[0], strokeWidth: 2.5 },
        encoding: { x, y },
      },
      {
        data: { values: knee },
        mark: { type: 'point', filled: true, size: 80, color: SERIES_COLOURS[1] },
        encoding: { x, y },
      },
      {
        data: { values: knee },
        mark: { type: 'text', align: 'left', dx: 8, dy: 12, fontSize: 12, color: '#212b32' },
        encoding: { x, y, text: { field: 'label' } },
      },
    ],
    config: chartConfig,
  };
};

/** The gain curve as an SVG image with its description, or nothing before the first decision. */
export const renderScreeningCurveSvg = async (curve: ScreeningCurve): Promise<string | undefined> =>
  curve.screened === 0 ? undefined : accessibleSvg(screeningCurveSpec(curve), 'chart-screening-curve', curve.title, curve.description);
