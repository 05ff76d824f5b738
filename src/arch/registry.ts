import type { ModelType } from '../checkpoint/config.js';
import { albert } from './albert.js';
import { bert } from './bert.js';
import type { ModelSpec } from './types.js';

/** Adding an architecture means adding its spec file and one line here. */
export const MODEL_SPECS: Readonly<Record<ModelType, ModelSpec>> = { bert, albert };
