/**
 * Reads TSV exactly as GLUE writes it: fields split on every tab and taken verbatim. There is no CSV
 * quoting, so a `"` is an ordinary character (MRPC and MNLI sentences start with one), and GLUE's
 * own readers (csv with quotechar=None) read it the same way.
 */
import { constants } from 'node:buffer';
import fs from 'node:fs';
import { DataError } from '../errors.js';

export interface TsvTable {
  file: string;
  columns: readonly string[];
  rows: readonly (readonly string[])[];
  /** 1-based line number of `rows[0]`, for messages about a row: 2 after a header row, else 1. */
  firstRowLine: number;
}

// fatal: bad UTF-8 is an error rather than U+FFFD in the text. The decoder also drops a leading
// BOM, which MRPC's header line carries.
const utf8 = new TextDecoder('utf-8', { fatal: true });

function decode(file: string): string {
  let bytes: Uint8Array;
  try {
    bytes = fs.readFileSync(file);
  } catch (error: unknown) {
    throw new DataError(file, `cannot read: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return utf8.decode(bytes);
  } catch (error: unknown) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_ENCODING_INVALID_ENCODED_DATA') throw new DataError(file, 'is not valid UTF-8', error);
    // The file is read as one string, and V8 caps a string's length (ERR_STRING_TOO_LONG).
    throw new DataError(file, `is too large to read: ${bytes.length} bytes; albench reads a data file of at most `
      + `${constants.MAX_STRING_LENGTH} characters (about ${Math.floor(constants.MAX_STRING_LENGTH / 2 ** 20)} MB)`, error);
  }
}

/**
 * Reads a TSV file whose first line names the columns, or, given `headerlessColumns`, one without a
 * header. Lines may end in `\n` or `\r\n`, the last one may lack its newline, and blank lines at the
 * very end are ignored; every other line must have exactly one field per column.
 */
export function readTsv(file: string, headerlessColumns: readonly string[] | null = null): TsvTable {
  const lines = decode(file).split('\n');
  while (lines.length > 0 && /^\r?$/.test(lines[lines.length - 1] as string)) lines.pop();
  const fields = (line: string): string[] => (line.endsWith('\r') ? line.slice(0, -1) : line).split('\t');

  let columns: readonly string[];
  let firstRowLine: number;
  if (headerlessColumns) {
    columns = headerlessColumns;
    firstRowLine = 1;
  } else {
    const header = lines.shift();
    if (header === undefined) throw new DataError(file, 'is empty; expected a header row naming the columns');
    columns = fields(header);
    firstRowLine = 2;
  }

  const rows = lines.map((line, i) => {
    const row = fields(line);
    if (row.length !== columns.length) {
      throw new DataError(
        file,
        `line ${firstRowLine + i}: expected ${columns.length} tab-separated fields ` +
          `(${columns.join(', ')}), found ${row.length}`,
      );
    }
    return row;
  });
  return { file, columns, rows, firstRowLine };
}
