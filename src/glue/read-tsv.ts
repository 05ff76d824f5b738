/**
 * Reads TSV exactly as GLUE writes it: fields split on every tab and taken verbatim. There is no CSV
 * quoting, so a `"` is an ordinary character (MRPC and MNLI sentences start with one), and GLUE's
 * own readers (csv with quotechar=None) read it the same way.
 */
import { DataError } from '../errors.js';
import { readRegularFile } from '../util/safe-read.js';

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

/**
 * The whole file is held as one string, so it must stay well below V8's string limit (about 512 MB);
 * GLUE's largest file (MNLI train) is under 100 MB.
 */
export const TSV_MAX_BYTES = 256 * 2 ** 20;

function decode(file: string): string {
  // A regular file only: a FIFO would block, /dev/zero would never end.
  const bytes = readRegularFile(file, { maxBytes: TSV_MAX_BYTES, kind: 'TSV files', refuse: (f, problem) => new DataError(f, problem) });
  try {
    return utf8.decode(bytes);
  } catch (error: unknown) {
    if (error instanceof TypeError) throw new DataError(file, 'is not valid UTF-8');
    throw new DataError(file, `cannot be decoded as text (${error instanceof Error ? error.message : String(error)})`, error);
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
