import fs from 'node:fs';
import path from 'node:path';
import { DeployError } from '../errors.js';
import { APP_SIDE_FILES, copyAppSideFiles } from '../model-folder/files.js';
import { CONFIG_FILE, modelRoot, ONNX_DIR } from '../model-folder/layout.js';
import { writeDirAtomic } from '../util/atomic.js';
import { ownedFolder } from '../util/owned-folder.js';
import { sha256FileSync } from '../util/sha256.js';
import { DEPLOYMENT_FILE, type DeploymentManifest } from './manifest-types.js';
import type { DeployTarget } from '../report/verdicts/targets.js';

/**
 * Where the model file goes in the folder, as its runtime loads it: transformers.js reads the
 * Hugging Face layout (onnx/<dtype file name>); an onnxruntime-node app opens the file beside its
 * config and tokenizer.
 */
export function deployedFilePath(target: DeployTarget, source: string): string {
  const name = path.basename(source);
  return target === 'browser' ? `${ONNX_DIR}/${name}` : name;
}

const ROOT_FILES: ReadonlySet<string> = new Set([DEPLOYMENT_FILE, ...APP_SIDE_FILES]);
const MODEL_ENTRY = new RegExp(`^(?:${ONNX_DIR}/)?[^/]+\\.onnx(?:_data)?$`);

/** A deployed folder is albench's to replace when it holds deployment.json and only what deploy writes. */
export const foreignInDeployFolder = ownedFolder(DEPLOYMENT_FILE, (e) => ROOT_FILES.has(e) || e === `${ONNX_DIR}/` || MODEL_ENTRY.test(e));

/**
 * Writes the folder whole or not at all: the model file (and its external data, when it has any),
 * config.json and the tokenizer files of the folder it came from, and deployment.json; the copied
 * file is hashed again so the folder never holds other bytes than the manifest names.
 */
export async function writeDeployFolder(
  outDir: string, source: string, manifest: (file: string) => DeploymentManifest, target: DeployTarget,
): Promise<DeploymentManifest> {
  return writeDirAtomic(outDir, foreignInDeployFolder, async (dir) => {
    const file = deployedFilePath(target, source);
    const to = path.join(dir, ...file.split('/'));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(source, to);
    if (fs.existsSync(`${source}_data`)) fs.copyFileSync(`${source}_data`, `${to}_data`);
    const root = modelRoot(source);
    if (!copyAppSideFiles(root, dir)) {
      throw new DeployError(`${path.join(root, CONFIG_FILE)} is missing beside the variant's file; run albench compare again to rebuild the entry`);
    }
    const written = manifest(file);
    if (sha256FileSync(to) !== written.variant.fileSha256) throw new DeployError(`${source} changed while it was copied; run albench deploy again`);
    fs.writeFileSync(path.join(dir, DEPLOYMENT_FILE), `${JSON.stringify(written, null, 2)}\n`);
    return written;
  });
}
