import { closed, dateTime, nonNegative, positiveCount, sessionBesideThreads, text } from './json-schema-defs.js';
import { DEVICE_NAMES } from './environment.js';

/** The JSON Schema of tuned-types.ts and of the session settings (environment.ts): compare --tune's figures, under a variant's deployment. */

/** A full setting: env.session's fields and the intra-op threads. */
const session = closed({ intraOpThreads: positiveCount, ...sessionBesideThreads });

export const tuneRunDef = closed({ selectionRounds: positiveCount, measurementRounds: positiveCount, batchSize: positiveCount, sequenceLength: positiveCount });

const roundsFigures = {
  p50Ms: nonNegative, p99Ms: nonNegative, meanMs: nonNegative, rmePercent: nonNegative,
  roundP50sMs: { type: 'array', minItems: 1, items: nonNegative }, spreadMs: nonNegative,
};

const discriminated = (...oneOf: unknown[]) => ({ type: 'object', required: ['state'], discriminator: { propertyName: 'state' }, oneOf });

const candidate = discriminated(
  closed({ session, state: { const: 'measured' }, ...roundsFigures }),
  closed({ session, state: { const: 'failed' }, error: text }),
);

const gain = closed({
  defaultMeasured: closed(roundsFigures), gainMs: { type: 'number' }, gainPercent: { type: 'number' }, noiseMs: nonNegative,
  verdict: { enum: ['faster', 'tie', 'slower'] },
});

export const tunedSessionDef = discriminated(
  closed({
    device: { enum: DEVICE_NAMES }, state: { const: 'measured' }, candidates: { type: 'array', minItems: 1, items: candidate }, chosen: session,
    choice: { enum: ['fastest', 'default-within-noise', 'default-fastest'] }, measured: closed(roundsFigures),
    versusDefault: { anyOf: [gain, { type: 'null' }] }, measuredAt: dateTime, loadAverage1m: nonNegative,
  }),
  closed({ device: { enum: DEVICE_NAMES }, state: { const: 'failed' }, error: text }),
);
