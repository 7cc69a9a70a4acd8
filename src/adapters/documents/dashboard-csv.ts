import { stringify } from 'csv-stringify/sync';
import type { Figure, FigureValue } from '../../core/dashboard/figures.js';

/**
 * The dashboard's numbers as CSV: RFC 4180 (csv-stringify), UTF-8 with a byte-order mark so that
 * spreadsheets read accented names correctly, one header row. A missing figure (nothing to measure
 * yet) is an empty cell.
 */
const BOM = '\uFEFF';
const cell = (value: FigureValue | undefined): string | number => (value === null || value === undefined ? '' : value);

/** One figure's table, its columns headed by their labels. */
export const figureCsv = (figure: Figure): string =>
  BOM + stringify([figure.columns.map((column) => column.label), ...figure.rows.map((row) => figure.columns.map((column) => cell(row[column.key])))]);

/**
 * Every figure in one file, one number per row: `figure` (its id), `title`, `category` (the row's
 * label, e.g. the month or theme), `measure` (the column's label) and `value`.
 */
export const dashboardCsv = (figures: readonly Figure[], range: { from: string; to: string }): string =>
  BOM +
  stringify([
    ['figure', 'title', 'category', 'measure', 'value', 'from', 'to'],
    ...figures.flatMap((figure) => {
      const label = figure.columns.find((column) => column.kind === 'text');
      return figure.rows.flatMap((row) =>
        figure.columns
          .filter((column) => column.kind !== 'text')
          .map((column) => [figure.id, figure.title, label ? cell(row[label.key]) : '', column.label, cell(row[column.key]), range.from, range.to]),
      );
    }),
  ]);
