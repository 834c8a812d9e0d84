import { readdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";

const FILE_ID = /^[0-9a-f]{32}\.(png|jpg|webp)$/;

/**
 * Files against rows in a stopped app's DATA_DIR: files no row refers to (left behind) and rows
 * whose file is gone (announced, then lost). Both lists are empty when nothing went astray.
 */
export function checkDataDir(dataDir: string): { unowned: string[]; missing: string[]; temp: string[] } {
  const names = (() => {
    try {
      return readdirSync(path.join(dataDir, "images"));
    } catch {
      return [];
    }
  })();
  const files = new Set(names.filter((name) => FILE_ID.test(name)));
  const temp = names.filter((name) => name.endsWith(".tmp"));
  const db = new Database(path.join(dataDir, "app.db"), { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        `SELECT file_id AS id FROM images WHERE file_id IS NOT NULL UNION SELECT composite_id FROM images WHERE composite_id IS NOT NULL
         UNION SELECT thumb_id FROM images WHERE thumb_id IS NOT NULL UNION SELECT id FROM uploads`,
      )
      .all() as { id: string }[];
    const referenced = new Set(rows.map((row) => row.id));
    return {
      unowned: [...files].filter((id) => !referenced.has(id)),
      missing: [...referenced].filter((id) => !files.has(id)),
      temp,
    };
  } finally {
    db.close();
  }
}
