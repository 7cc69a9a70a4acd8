import type { Figure } from '../../core/dashboard/figures.js';
import { toSpreadsheetCsv } from '../formats/csv-safe.js';

/**
 * The dashboard's numbers as CSV: RFC 4180 (csv-stringify), UTF-8 with a byte-order mark so that
 * spreadsheets read accented names correctly, one header row. A missing figure (nothing to measure
 * yet) is an empty cell. Figures are numbers and written as such; text cells (labels, and categories
 * such as a need's themes, which people type) are guarded against spreadsheet formulas (see csv-safe.ts).
 */

/** One figure's table, its columns headed by their labels. */
export const figureCsv = (figure: Figure): string =>
  toSpreadsheetCsv([figure.columns.map((column) => column.label), ...figure.rows.map((row) => figure.columns.map((column) => row[column.key]))]);

/**
 * Every figure in one file, one number per row: `figure` (its id), `title`, `category` (the row's
 * label, e.g. the month or theme), `measure` (the column's label) and `value`.
 */
export const dashboardCsv = (figures: readonly Figure[], range: { from: string; to: string }): string =>
  toSpreadsheetCsv([
    ['figure', 'title', 'category', 'measure', 'value', 'from', 'to'],
    ...figures.flatMap((figure) => {
      const label = figure.columns.find((column) => column.kind === 'text');
      return figure.rows.flatMap((row) =>
        figure.columns
          .filter((column) => column.kind !== 'text')
          .map((column) => [figure.id, figure.title, label ? row[label.key] : '', column.label, row[column.key], range.from, range.to]),
      );
    }),
  ]);
