import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Figure } from '../../core/dashboard/figures.js';
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
    config: {
      font: 'Arial, Helvetica, sans-serif',
      // The SVG is one image named by its title and description (below); its parts are not read out one by one.
      aria: false,
      axis: { labelFontSize: 12, titleFontSize: 12, labelColor: '#212b32', titleColor: '#212b32' },
      legend: { labelFontSize: 12, labelColor: '#212b32' },
      title: { fontSize: 16, anchor: 'start', color: '#212b32' },
      view: { stroke: null },
    },
  };
};

/**
 * The chart as a standalone SVG document's root element: `role="img"`, named by a `<title>` and
 * described by a `<desc>` (the figure's description in words), so screen readers announce it.
 */
export const renderChartSvg = async (figure: Figure): Promise<string | undefined> => {
  const spec = chartSpec(figure);
  if (!spec) {
    return undefined;
  }
  const view = new View(parse(compile(spec).spec), { renderer: 'none' });
  try {
    // Vega still marks groups and marks as graphics objects; inside one named image they are noise
    // (axe reads a graphics-symbol as an image without a name), so every role and ARIA attribute goes.
    const svg = (await view.toSVG()).replace(/\s(?:role|aria-[a-z]+)="[^"]*"/g, '');
    const id = `chart-${figure.id}`;
    return svg.replace(
      /^<svg ([^>]*)>/,
      (_whole, attributes: string) =>
        `<svg ${attributes.replace(/\s*class="marks"/, '')} role="img" aria-labelledby="${id}-title ${id}-desc" id="${id}"><title id="${id}-title">${escapeXml(figure.title)}</title><desc id="${id}-desc">${escapeXml(figure.description)}</desc>`,
    );
  } finally {
    view.finalize();
  }
};
