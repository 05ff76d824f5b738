/** A model on the Hugging Face Hub as a user names it: `org/name` or `name`, optionally `@revision`. */
export interface HubModelId {
  readonly repo: string;
  readonly revision: string;
}

export const DEFAULT_REVISION = 'main';

/** The hub's own limit on repo ids (org and name together). */
const MAX_REPO_ID_LENGTH = 96;
/** One part of a repo id: letters, digits, `_`, `-`, `.`; no leading or trailing `-`/`.`. */
const REPO_PART = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const COMMIT_HASH = /^[0-9a-f]{40}$/;

export function isCommitHash(revision: string): boolean {
  return COMMIT_HASH.test(revision);
}

/**
 * The id and revision in `text`, or undefined when it cannot be a hub id. The checks are the hub's
 * (huggingface_hub's validate_repo_id), and they also keep both parts safe to use as cache paths.
 */
export function parseHubId(text: string): HubModelId | undefined {
  const at = text.indexOf('@');
  const repo = at < 0 ? text : text.slice(0, at);
  const revision = at < 0 ? DEFAULT_REVISION : text.slice(at + 1);
  const parts = repo.split('/');
  if (parts.length > 2 || repo.length > MAX_REPO_ID_LENGTH || repo.includes('--') || repo.includes('..')) return undefined;
  if (!parts.every((p) => REPO_PART.test(p))) return undefined;
  if (!isValidRevision(revision)) return undefined;
  return { repo, revision };
}

/**
 * A branch, tag or commit as git allows them (no `..`, no empty or dot-led path segments, none of
 * git's forbidden characters). `refs/<revision>` in the cache is a path, so this also keeps it inside.
 */
function isValidRevision(revision: string): boolean {
  if (revision.length === 0 || /[\s~^:?*[\\]/.test(revision) || revision.includes('..') || revision.includes('@{')) return false;
  return revision.split('/').every((segment) => segment.length > 0 && !segment.startsWith('.'));
}

/** `org/name`, or `org/name@revision` when the revision is not the default: how messages name a model. */
export function formatHubId(id: HubModelId): string {
  return id.revision === DEFAULT_REVISION ? id.repo : `${id.repo}@${id.revision}`;
}
