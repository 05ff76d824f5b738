/**
 * Named points where a test can hold a process, to put two real processes into a chosen
 * interleaving (a race) instead of hoping for one. ALBENCH_TEST_PAUSE=<point>[,<point>...]@<dir>:
 * the first time the process reaches a listed point it writes `<dir>/<pid>.<point>.reached` and
 * waits until `<dir>/<pid>.<point>.go` exists. Only the tests set it; unset, a point costs one
 * lookup of a string that was parsed once.
 */
import fs from 'node:fs';
import path from 'node:path';

export const TEST_PAUSE_ENV = 'ALBENCH_TEST_PAUSE';

interface PausePlan {
  readonly points: Set<string>;
  readonly dir: string;
}

let parsed: { readonly raw: string | undefined; readonly plan: PausePlan | null } | undefined;

function plan(): PausePlan | null {
  const raw = process.env[TEST_PAUSE_ENV];
  if (parsed !== undefined && parsed.raw === raw) return parsed.plan;
  const at = raw?.lastIndexOf('@') ?? -1;
  const result = raw === undefined || at <= 0 ? null : { points: new Set(raw.slice(0, at).split(',')), dir: raw.slice(at + 1) };
  parsed = { raw, plan: result };
  return result;
}

/** Holds the process at `point` when a test asked for it (see above); at once otherwise. */
export async function testPause(point: string): Promise<void> {
  const p = plan();
  if (p === null || !p.points.delete(point)) return;
  const base = path.join(p.dir, `${process.pid}.${point}`);
  fs.writeFileSync(`${base}.reached`, '');
  while (!fs.existsSync(`${base}.go`)) await new Promise((resolve) => setTimeout(resolve, 10));
}
