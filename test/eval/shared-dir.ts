import { fileURLToPath } from 'node:url';

/** The project's shared/ folder, beside the repository; compiled tests run from dist/test/eval/. */
export const SHARED_DIR = fileURLToPath(new URL('../../../../shared/', import.meta.url));
