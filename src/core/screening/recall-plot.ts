import type { ScreeningMetrics } from './metrics.js';

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const width = 640;
const height = 440;
const margin = { top: 48, right: 24, bottom: 56, left: 64 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;

/**
 * The recall curve of a simulation as a stand-alone SVG: inclusions found (%) against records
 * screened (%), beside the diagonal that screening in random order follows on average. No
 * dependencies; `<title>` and `<desc>` name the figure and give its numbers for screen readers.
 */
export const renderRecallPlot = (metrics: ScreeningMetrics, heading: string): string => {
  const x = (screened: number): number => margin.left + (metrics.screened > 0 ? (screened / metrics.screened) * plotWidth : 0);
  const y = (found: number): number => margin.top + plotHeight - (metrics.found > 0 ? (found / metrics.found) * plotHeight : 0);
  const format = (value: number): string => value.toFixed(1);
  // A step curve: found stays flat between inclusions, then rises by one.
  const points: string[] = [];
  let lastFound = 0;
  for (const [screened, found] of metrics.recallCurve) {
    points.push(`${format(x(screened))},${format(y(lastFound))}`);
    points.push(`${format(x(screened))},${format(y(found))}`);
    lastFound = found;
  }
  const ticks = [0, 20, 40, 60, 80, 100];
  const grid = ticks
    .map((tick) => {
      const tickX = margin.left + (tick / 100) * plotWidth;
      const tickY = margin.top + plotHeight - (tick / 100) * plotHeight;
      return [
        `<line x1="${format(tickX)}" y1="${margin.top}" x2="${format(tickX)}" y2="${margin.top + plotHeight}" stroke="#d8dde0"/>`,
        `<line x1="${margin.left}" y1="${format(tickY)}" x2="${margin.left + plotWidth}" y2="${format(tickY)}" stroke="#d8dde0"/>`,
        `<text x="${format(tickX)}" y="${margin.top + plotHeight + 20}" text-anchor="middle">${tick}%</text>`,
        `<text x="${margin.left - 8}" y="${format(tickY + 4)}" text-anchor="end">${tick}%</text>`,
      ].join('');
    })
    .join('\n  ');
  const summary =
    `Recall curve of ${metrics.screened} records screened after the priors, ${metrics.found} of them relevant. ` +
    `Work saved over sampling at 95% recall: ${metrics.wss95}%; at 100%: ${metrics.wss100}%. ` +
    `Relevant records found after screening 10%: ${metrics.rrf10}%. Average time to discovery: ${metrics.atd}% of records. ` +
    'The dashed diagonal is the expected curve when records are screened in random order.';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="recall-title recall-desc" font-family="Arial, sans-serif" font-size="13" fill="#212b32">
  <title id="recall-title">${escapeXml(heading)}</title>
  <desc id="recall-desc">${escapeXml(summary)}</desc>
  <rect width="${width}" height="${height}" fill="#ffffff"/>
  <text x="${margin.left}" y="28" font-size="16" font-weight="bold">${escapeXml(heading)}</text>
  ${grid}
  <line x1="${margin.left}" y1="${margin.top + plotHeight}" x2="${margin.left + plotWidth}" y2="${margin.top + plotHeight}" stroke="#212b32"/>
  <line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${margin.top + plotHeight}" stroke="#212b32"/>
  <line x1="${margin.left}" y1="${margin.top + plotHeight}" x2="${margin.left + plotWidth}" y2="${margin.top}" stroke="#768692" stroke-width="2" stroke-dasharray="6 5"/>
  <polyline points="${points.join(' ')}" fill="none" stroke="#005eb8" stroke-width="2.5"/>
  <text x="${margin.left + plotWidth / 2}" y="${height - 14}" text-anchor="middle">Records screened</text>
  <text transform="translate(18 ${margin.top + plotHeight / 2}) rotate(-90)" text-anchor="middle">Relevant records found</text>
  <g transform="translate(${margin.left + plotWidth - 200} ${margin.top + plotHeight - 60})">
    <rect x="-10" y="-18" width="206" height="52" fill="#ffffff" stroke="#d8dde0"/>
    <line x1="0" y1="-4" x2="28" y2="-4" stroke="#005eb8" stroke-width="2.5"/><text x="36" y="0">Active learning</text>
    <line x1="0" y1="20" x2="28" y2="20" stroke="#768692" stroke-width="2" stroke-dasharray="6 5"/><text x="36" y="24">Random order (expected)</text>
  </g>
</svg>
`;
};
