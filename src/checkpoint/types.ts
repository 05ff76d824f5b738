import type { TensorSource } from '../tensor.js';

/**
 * The tensors of one checkpoint file (or a sharded set), keyed exactly as stored. Readers keep
 * the file open and read each tensor's bytes when asked, so nothing is held twice; `close()`
 * releases the file handles.
 */
export interface StateDict {
  /** The file (or index file) the tensors came from, for error messages. */
  readonly file: string;
  readonly tensors: ReadonlyMap<string, TensorSource>;
  close(): void;
}
