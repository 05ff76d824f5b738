/**
 * The items no other item beats on every objective at once. Each objective maps an item to a
 * number where smaller is better (negate what should grow). Items with identical figures all stay.
 */
export function paretoFront<T>(items: readonly T[], objectives: ReadonlyArray<(item: T) => number>): T[] {
  const dominates = (a: T, b: T): boolean => {
    let strictlyBetter = false;
    for (const f of objectives) {
      const fa = f(a);
      const fb = f(b);
      if (fa > fb) return false;
      if (fa < fb) strictlyBetter = true;
    }
    return strictlyBetter;
  };
  return items.filter((b) => !items.some((a) => a !== b && dominates(a, b)));
}
