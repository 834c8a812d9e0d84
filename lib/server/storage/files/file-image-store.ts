import "server-only";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import { isImageId, mimeTypeOf, newImageId } from "../image-ids";
import type { ImageExtension, ImageStorage } from "../storage";

/** Stored images as files in DATA_DIR/images (embedded mode). */

/** What a save leaves behind if the process dies between writing and renaming. */
const TEMP_PATTERN = /^[0-9a-f]{32}\.(png|jpg|webp)\.\d+\.tmp$/;

export class FileImageStore implements ImageStorage {
  private readonly directory: string;
  private ready: Promise<void> | undefined;

  constructor(dataDir: string) {
    this.directory = path.join(/*turbopackIgnore: true*/ dataDir, "images");
  }

  private ensureDirectory(): Promise<void> {
    this.ready ??= fs.mkdir(this.directory, { recursive: true }).then(() => undefined);
    return this.ready.catch((error: unknown) => {
      this.ready = undefined;
      throw error;
    });
  }

  /** Temp file, fsync, rename: a reader (or a crash) never sees half an image. */
  async save(bytes: Buffer, extension: ImageExtension): Promise<{ id: string }> {
    await this.ensureDirectory();
    const id = newImageId(extension);
    const finalPath = path.join(/*turbopackIgnore: true*/ this.directory, id);
    const tempPath = `${finalPath}.${process.pid}.tmp`;
    try {
      const handle = await fs.open(tempPath, "wx");
      try {
        await handle.writeFile(bytes);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await fs.rename(tempPath, finalPath);
    } catch (error) {
      await fs.rm(tempPath, { force: true }).catch(() => {});
      throw error;
    }
    return { id };
  }

  async remove(ids: readonly string[]): Promise<void> {
    await Promise.all(
      ids.filter((id) => isImageId(id) || TEMP_PATTERN.test(id)).map((id) => fs.rm(path.join(/*turbopackIgnore: true*/ this.directory, id), { force: true }).catch(() => {})),
    );
  }

  /** Stored files and leftover temp files (a save a crash cut short). */
  async list(): Promise<{ id: string; modifiedAt: number }[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.directory);
    } catch {
      return [];
    }
    const entries = await Promise.all(
      names
        .filter((name) => isImageId(name) || TEMP_PATTERN.test(name))
        .map(async (id) => {
          try {
            return { id, modifiedAt: (await fs.stat(path.join(/*turbopackIgnore: true*/ this.directory, id))).mtimeMs };
          } catch {
            return null;
          }
        }),
    );
    return entries.filter((entry): entry is { id: string; modifiedAt: number } => entry !== null);
  }

  async read(id: string): Promise<Buffer | null> {
    const filePath = this.filePath(id);
    if (!filePath) return null;
    try {
      return await fs.readFile(filePath);
    } catch {
      return null;
    }
  }

  private filePath(id: string): string | null {
    return isImageId(id) ? path.join(/*turbopackIgnore: true*/ this.directory, id) : null;
  }

  /**
   * The file opened before anything is answered: once open, a delete cannot break the read (the
   * data stays until the handle closes), so a stream that started always ends whole.
   */
  async openReadable(id: string, range?: { start: number; end: number }): Promise<{ stream: Readable; size: number; mimeType: string } | null> {
    const filePath = this.filePath(id);
    if (!filePath) return null;
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(filePath, "r");
    } catch {
      return null;
    }
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new Error("not a file");
      return { stream: handle.createReadStream(range ?? {}), size: stat.size, mimeType: mimeTypeOf(id) };
    } catch {
      await handle.close().catch(() => {});
      return null;
    }
  }
}
