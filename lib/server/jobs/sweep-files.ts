import "server-only";
import type { ImageStorage, UploadRegistry } from "../storage/storage";

export interface SweepDeps {
  repo: UploadRegistry;
  store: Pick<ImageStorage, "list" | "remove">;
  now: () => number;
}

export interface SweepOptions {
  /** A file younger than this may belong to work in progress (stored, its row not yet written). */
  fileGraceMs: number;
  /** An upload no campaign uses is kept this long, for the campaign it was uploaded for. */
  uploadGraceMs: number;
}

export const DEFAULT_SWEEP: SweepOptions = { fileGraceMs: 60 * 60_000, uploadGraceMs: 7 * 24 * 60 * 60_000 };

/**
 * Removes what nothing owns: uploads no campaign has used for a week, and files no row refers
 * to (a crash between writing a file and recording it, a save cut short). Rows are changed
 * before files are deleted, so a crash here leaves at worst a file for the next sweep.
 */
export async function sweepUnownedFiles(deps: SweepDeps, options: SweepOptions = DEFAULT_SWEEP): Promise<string[]> {
  const now = deps.now();
  const droppedUploads = await deps.repo.dropUnusedUploads(now - options.uploadGraceMs);
  const referenced = await deps.repo.referencedFiles();
  const unowned = (await deps.store.list()).filter((file) => !referenced.has(file.id) && file.modifiedAt < now - options.fileGraceMs).map((file) => file.id);
  const removed = [...new Set([...droppedUploads, ...unowned])];
  await deps.store.remove(removed);
  return removed;
}
