/**
 * A trie over small non-negative integer symbols (UTF-16 code units, UTF-8 bytes). All edges live in
 * one open-addressing hash table of typed arrays, so a step is a hash and a probe or two: no per-node
 * objects, nothing allocated in the segmentation loops that walk it.
 */
export const NO_NODE = -1;
export const NO_VALUE = -1;

export class IntTrie {
  static readonly ROOT = 0;

  constructor(
    private readonly edges: EdgeTable,
    private readonly values: Int32Array,
  ) {}

  /** The child of `node` along `symbol` (0..0xffff), or NO_NODE. */
  step(node: number, symbol: number): number {
    return this.edges.find(node, symbol);
  }

  /** The value stored at `node` (the key that ends there), or NO_VALUE. */
  value(node: number): number {
    return this.values[node] as number;
  }
}

/** Collects keys, given as code units of a string or as bytes, without copying them. */
export class IntTrieBuilder {
  private edges = new EdgeTable(10);
  private readonly values: number[] = [NO_VALUE];

  /** key.charCodeAt(from..) -> value; a later duplicate key overwrites. */
  addCodeUnits(key: string, from: number, value: number): void {
    let node = IntTrie.ROOT;
    for (let i = from; i < key.length; i++) node = this.childOf(node, key.charCodeAt(i));
    this.values[node] = value;
  }

  /** bytes[start, end) -> value; a later duplicate key overwrites. */
  addBytes(bytes: Uint8Array, start: number, end: number, value: number): void {
    let node = IntTrie.ROOT;
    for (let i = start; i < end; i++) node = this.childOf(node, bytes[i] as number);
    this.values[node] = value;
  }

  build(): IntTrie {
    return new IntTrie(this.edges, Int32Array.from(this.values));
  }

  private childOf(node: number, symbol: number): number {
    let child = this.edges.find(node, symbol);
    if (child === NO_NODE) {
      child = this.values.length;
      this.values.push(NO_VALUE);
      if (2 * (this.edges.count + 1) > this.edges.capacity) this.edges = this.edges.grown();
      this.edges.insert(node, symbol, child);
    }
    return child;
  }
}

/** Edges keyed by (parent, symbol) with linear probing; kept at most half full. */
class EdgeTable {
  private readonly parents: Int32Array;
  private readonly symbols: Int32Array;
  private readonly children: Int32Array;
  private readonly shift: number;
  count = 0;

  constructor(private readonly bits: number) {
    this.parents = new Int32Array(1 << bits).fill(NO_NODE);
    this.symbols = new Int32Array(1 << bits);
    this.children = new Int32Array(1 << bits);
    this.shift = 32 - bits;
  }

  get capacity(): number {
    return this.parents.length;
  }

  find(parent: number, symbol: number): number {
    const mask = this.parents.length - 1;
    for (let slot = hash(parent, symbol, this.shift); ; slot = (slot + 1) & mask) {
      const p = this.parents[slot] as number;
      if (p === NO_NODE) return NO_NODE;
      if (p === parent && this.symbols[slot] === symbol) return this.children[slot] as number;
    }
  }

  insert(parent: number, symbol: number, child: number): void {
    const mask = this.parents.length - 1;
    let slot = hash(parent, symbol, this.shift);
    while (this.parents[slot] !== NO_NODE) slot = (slot + 1) & mask;
    this.parents[slot] = parent;
    this.symbols[slot] = symbol;
    this.children[slot] = child;
    this.count++;
  }

  grown(): EdgeTable {
    const bigger = new EdgeTable(this.bits + 1);
    for (let slot = 0; slot < this.parents.length; slot++) {
      const p = this.parents[slot] as number;
      if (p !== NO_NODE) bigger.insert(p, this.symbols[slot] as number, this.children[slot] as number);
    }
    return bigger;
  }
}

function hash(parent: number, symbol: number, shift: number): number {
  const h = Math.imul(parent, 0x9e3779b1) ^ Math.imul(symbol + 1, 0x85ebca77);
  return Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> shift;
}
