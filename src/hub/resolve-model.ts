import fs from 'node:fs';
import path from 'node:path';
import { CheckpointError, UsageError } from '../errors.js';
import { parseHubId } from './hub-id.js';
import { fetchSnapshot, type HubSnapshot, type SnapshotOptions } from './hub-snapshot.js';
import { BUNDLED_MODELS_DIR } from '../paths.js';

/** Short names for the models shipped in the repo's `models/` folder. */
export const BUNDLED_MODELS = { bert: 'bert-sst2-mini', albert: 'albert-sst2-mini' } as const;
type BundledName = keyof typeof BUNDLED_MODELS;

/** Where a model argument pointed, and the local checkpoint folder to read for it. */
export type ResolvedModel =
  | { readonly kind: 'bundled'; readonly name: BundledName; readonly dir: string }
  | { readonly kind: 'folder'; readonly dir: string }
  | { readonly kind: 'hub'; readonly dir: string; readonly snapshot: HubSnapshot };

/** Used for hub ids only: which weight format to download, progress, and the warning when offline. */
type ResolveOptions = SnapshotOptions;

/**
 * Resolves what a user typed for a model, in this order: a bundled name (`bert`, `albert`), an
 * existing folder, a Hugging Face Hub id (`org/name` or `name`, optionally `@revision`), which is
 * downloaded into (or read from) the shared Hugging Face cache. Only a hub id touches the network.
 */
export async function resolveModel(arg: string, opts: ResolveOptions = {}): Promise<ResolvedModel> {
  if (Object.hasOwn(BUNDLED_MODELS, arg)) {
    const name = arg as BundledName;
    return { kind: 'bundled', name, dir: path.join(BUNDLED_MODELS_DIR, BUNDLED_MODELS[name]) };
  }
  if (fs.existsSync(arg)) {
    if (!fs.statSync(arg).isDirectory()) throw new CheckpointError(arg, 'is a file; give the checkpoint folder that holds config.json and the weights');
    return { kind: 'folder', dir: arg };
  }
  // `./x`, `/x`, `~/x` or `x/` can only mean a folder; asking the hub for them would mislead.
  if (/^[.~/]|[\\/]$/.test(arg) || path.isAbsolute(arg)) {
    throw new CheckpointError(arg, 'is not a folder; give a checkpoint folder holding config.json and model.safetensors or pytorch_model.bin');
  }
  const id = parseHubId(arg);
  if (id === undefined) {
    const bundled = Object.keys(BUNDLED_MODELS).join(', ');
    throw new UsageError(`"${arg}" is not a bundled model (${bundled}), an existing folder, or a Hugging Face model id (org/name, optionally @revision)`);
  }
  const snapshot = await fetchSnapshot(id, opts);
  return { kind: 'hub', dir: snapshot.dir, snapshot };
}
