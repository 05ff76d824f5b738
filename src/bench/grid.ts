import { UsageError } from '../errors.js';

/** Past these a run would take hours or allocate tens of GB; nobody means them. */
const GRID_LIMITS = { batchSize: 4096, sequenceLength: 65_536, points: 256 } as const;

export interface GridPoint { readonly batchSize: number; readonly sequenceLength: number }

const FLAGS = { batchSize: '--batch', sequenceLength: '--seq' } as const;

function checkSize(axis: keyof typeof FLAGS, n: number, shown: string): number {
  const max = GRID_LIMITS[axis];
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new UsageError(`${FLAGS[axis]}: ${JSON.stringify(shown)} is not an integer from 1 to ${max}; give a comma-separated list such as ${FLAGS[axis]} 1,8`);
  }
  return n;
}

/** "1,8,32" -> [1, 8, 32]: positive integers, kept in the order given. */
export function parseSizeList(axis: keyof typeof FLAGS, text: string): number[] {
  return text.split(',').map((part) => checkSize(axis, part.trim() === '' ? Number.NaN : Number(part), part.trim()));
}

/** Every batch size with every sequence length, batch-major; repeats are refused. */
export function gridPoints(batchSizes: readonly number[], sequenceLengths: readonly number[]): GridPoint[] {
  for (const [axis, sizes] of [['batchSize', batchSizes], ['sequenceLength', sequenceLengths]] as const) {
    if (sizes.length === 0) throw new UsageError(`${FLAGS[axis]} is empty; give at least one value`);
    sizes.forEach((n) => checkSize(axis, n, String(n)));
    const repeated = sizes.find((n, i) => sizes.indexOf(n) !== i);
    if (repeated !== undefined) throw new UsageError(`${FLAGS[axis]} lists ${repeated} twice`);
  }
  const points = batchSizes.flatMap((batchSize) => sequenceLengths.map((sequenceLength) => ({ batchSize, sequenceLength })));
  if (points.length > GRID_LIMITS.points) throw new UsageError(`the grid has ${points.length} points; at most ${GRID_LIMITS.points} per run`);
  return points;
}
