import { stringify } from 'csv-stringify/sync';

/**
 * CSV that is safe to open in a spreadsheet: every CSV file Mobilise writes goes through here, so
 * that a value from data cannot run as a formula (CSV or formula injection, CWE-1236; OWASP's "CSV
 * Injection"). A title such as `=HYPERLINK("http://evil","click")`, `+cmd|' /C calc'!A0`, `@SUM(A1)`
 * or `-2+3` would otherwise be evaluated by Excel, LibreOffice or Numbers when the file is opened.
 *
 * The rule, by the type of the value rather than by the look of the text:
 * - A **number** (a JavaScript `number` our code computed: a count, a year, a rank, a negative effect
 *   size held as a number) is written as it is, so `-0.4` stays a number the spreadsheet can sum.
 * - A **string** (anything that came from data or a person: titles, notes, reasons, names, labels,
 *   extraction answers, and text we formatted such as dates, which never start with a trigger) gets a
 *   single quote `'` in front when it begins with `=`, `+`, `-`, `@`, a tab or a carriage return (the
 *   characters OWASP names), or when such a character (tab and carriage return aside) follows leading
 *   whitespace, which some importers trim (LibreOffice's "Trim spaces") before deciding. The full-width
 *   forms `＝ ＋ － ＠` count too: Apple Numbers folds them to their ASCII forms. A string that already
 *   starts with quotes before a trigger (`'=1`) gets one more, so that reading back (`unguardFormula`)
 *   takes off exactly the quote added here and the value round-trips unchanged.
 * - `null` and `undefined` are empty cells.
 * So each writer decides per column: what our code holds as a number is passed as a number, and text
 * that only looks like one (pages `-12`, an answer typed as `-2`) is text and guarded (`'-12`).
 *
 * Ordinary CSV quoting is unchanged (csv-stringify, RFC 4180): a cell with a delimiter, a quote or a
 * line break is quoted, and quotes inside are doubled.
 */

/** A cell's value: numbers are written as numbers, strings guarded, `null` and `undefined` left empty. */
export type CsvValue = string | number | null | undefined;

// A trigger first; or whitespace, then one of the printing triggers.
const formulaStart = /^(?:[\t\r]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/** True when a spreadsheet could read the string as a formula, once any quotes a guard put in front are taken off. */
const needsGuard = (text: string): boolean => formulaStart.test(text.startsWith("'") ? text.replace(/^'+/, '') : text);

/** The string as a spreadsheet shows it as text: with `'` in front when it could start a formula. */
export const guardFormula = (text: string): string => (needsGuard(text) ? `'${text}` : text);

/**
 * Undoes `guardFormula`: drops a leading `'` when what follows it is something the guard would have
 * quoted (a trigger, maybe after whitespace or more guard quotes). Other leading quotes stay.
 */
export const unguardFormula = (text: string): string => (text.startsWith("'") && needsGuard(text.slice(1)) ? text.slice(1) : text);

/** One cell as csv-stringify should write it. */
export const csvCell = (value: CsvValue): string | number => (typeof value === 'number' ? value : value === null || value === undefined ? '' : guardFormula(value));

/** Rows as RFC 4180 CSV, each string cell guarded against formulas (see above). */
export const toCsv = (rows: readonly (readonly CsvValue[])[]): string => stringify(rows.map((row) => row.map(csvCell)));

/**
 * CSV for spreadsheets: as `toCsv`, after a UTF-8 byte-order mark so that spreadsheets read accented
 * names correctly.
 */
export const toSpreadsheetCsv = (rows: readonly (readonly CsvValue[])[]): string => `\uFEFF${toCsv(rows)}`;
