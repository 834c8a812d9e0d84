import "server-only";
import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import type { ImageStorage } from "./storage";

/**
 * Generated images on disk. Ids are 128 random bits plus an extension, and the route only
 * accepts that exact shape, so no request can name a path outside the images folder.
 */

const ID_PATTERN = /^[0-9a-f]{32}\.(png|jpg|webp)$/;
/** What a save leaves behind if the process dies between writing and renaming. */
const TEMP_PATTERN = /^[0-9a-f]{32}\.(png|jpg|webp)\.\d+\.tmp$/;
const MIME_BY_EXTENSION = { png: "image/png", jpg: "image/jpeg", webp: "image/webp" } as const;
export type Extension = keyof typeof MIME_BY_EXTENSION;


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
  async save(bytes: Buffer, extension: Extension): Promise<{ id: string }> {
    await this.ensureDirectory();
    const id = `${randomBytes(16).toString("hex")}.${extension}`;
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
      ids.filter((id) => FileImageStore.isValidId(id) || TEMP_PATTERN.test(id)).map((id) => fs.rm(path.join(/*turbopackIgnore: true*/ this.directory, id), { force: true }).catch(() => {})),
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
        .filter((name) => ID_PATTERN.test(name) || TEMP_PATTERN.test(name))
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
    return FileImageStore.isValidId(id) ? path.join(/*turbopackIgnore: true*/ this.directory, id) : null;
  }

  static isValidId(id: string): boolean {
    return ID_PATTERN.test(id);
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
      const extension = id.slice(id.lastIndexOf(".") + 1) as Extension;
      return { stream: handle.createReadStream(range ?? {}), size: stat.size, mimeType: MIME_BY_EXTENSION[extension] };
    } catch {
      await handle.close().catch(() => {});
      return null;
    }
  }
}
