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
