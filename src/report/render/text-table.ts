/** A table as rows of text, laid out by the Markdown and HTML renderers alike. */
export interface TextTable {
  readonly header: readonly string[];
  readonly rows: ReadonlyArray<readonly string[]>;
  /** Per column: right-aligned numbers. */
  readonly numeric: readonly boolean[];
}
