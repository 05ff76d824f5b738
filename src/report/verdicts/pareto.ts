/** Orders two items on one objective: negative when `a` is better, positive when `b` is, 0 for a tie. */
export type Comparator<T> = (a: T, b: T) => number;

/**
 * The items no other item beats on every objective at once: an item is dominated when another is
 * no worse on any objective and better on one. A comparator that returns 0 for a difference within
 * noise makes it a tie: it neither wins nor loses the comparison. Items tied everywhere all stay.
 */
export function paretoFrontWith<T>(items: readonly T[], comparators: ReadonlyArray<Comparator<T>>): T[] {
  return items.filter((b) => !items.some((a) => a !== b && dominates(a, b, comparators)));
}

/** Whether `a` is no worse than `b` on every objective and better on one. */
export function dominates<T>(a: T, b: T, comparators: ReadonlyArray<Comparator<T>>): boolean {
  let strictlyBetter = false;
  for (const compare of comparators) {
    const order = compare(a, b);
    if (order > 0) return false;
    if (order < 0) strictlyBetter = true;
  }
  return strictlyBetter;
}

/** paretoFrontWith on plain numbers: each objective maps an item to a cost, smaller is better (negate what should grow). */
export function paretoFront<T>(items: readonly T[], objectives: ReadonlyArray<(item: T) => number>): T[] {
  return paretoFrontWith(items, costComparators(objectives));
}

export function costComparators<T>(objectives: ReadonlyArray<(item: T) => number>): Array<Comparator<T>> {
  return objectives.map((f) => (a: T, b: T) => f(a) - f(b));
}

/**
 * The ties that changed a front: for an item in it that the raw comparators would have left out,
 * the ties with each item that beat it on those figures; for one left out that the raw figures
 * would have kept, the ties that let a member of the front beat it. Only the objectives where the
 * raw figures disagreed count. `tie(i, x, y)` is the sentence for x and y tying on objective i.
 */
export function frontTies<T>(
  items: readonly T[], front: readonly T[], raw: ReadonlyArray<Comparator<T>>, judged: ReadonlyArray<Comparator<T>>,
  tie: (objective: number, x: T, y: T) => string | undefined,
): string[] {
  const strict = paretoFrontWith(items, raw);
  const ties = new Set<string>();
  for (const x of items.filter((h) => front.includes(h) !== strict.includes(h))) {
    const kept = front.includes(x);
    const beaters = items.filter((h) => h !== x && dominates(h, x, kept ? raw : judged));
    // An item left out is explained by the members of the front that beat it, where there are any.
    const named = kept ? beaters : beaters.filter((h) => front.includes(h));
    for (const y of named.length > 0 ? named : beaters) {
      // Kept: y won where its raw figure was better; left out: x's better raw figures were ties.
      const [better, worse] = kept ? [y, x] : [x, y];
      raw.forEach((compare, i) => {
        const sentence = compare(better, worse) < 0 ? tie(i, x, y) : undefined;
        if (sentence !== undefined) ties.add(sentence);
      });
    }
  }
  return [...ties];
}
