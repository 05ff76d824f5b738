import { fileURLToPath } from 'node:url';

/** GLUE data shipped with albench (see data/PROVENANCE.md). */
export const BUNDLED_GLUE_DIR = fileURLToPath(new URL('../../data/glue', import.meta.url));
/** The bundled offline models (see models/PROVENANCE.md). */
export const BUNDLED_MODELS_DIR = fileURLToPath(new URL('../../models', import.meta.url));
