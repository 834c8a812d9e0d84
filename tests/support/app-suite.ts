import { afterAll, afterEach, expect } from "vitest";
import { existsSync } from "node:fs";
import path from "node:path";
import { removeDir, type AppServer } from "./app-server";
import { checkDataDir } from "./data-consistency";

/**
 * The teardown every suite with its own app needs: after each test, nothing the app did may have
 * tried to leave loopback; after the suite, the app and its stand-ins stop, its files are checked
 * against its rows (nothing left behind, nothing announced and lost), and its data goes.
 * `current` is read when the hooks run, so it sees what `beforeAll` started.
 */
export function appSuiteHooks(current: () => { app?: AppServer; standIns?: ({ close(): Promise<void> } | undefined)[]; dataDir?: string }): void {
  afterAll(async () => {
    const { app, standIns = [], dataDir } = current();
    await app?.stop();
    for (const standIn of standIns) await standIn?.close();
    if (!dataDir) return;
    try {
      if (existsSync(path.join(dataDir, "app.db"))) expect(checkDataDir(dataDir), "files against rows after the suite").toEqual({ unowned: [], missing: [], temp: [] });
    } finally {
      removeDir(dataDir);
    }
  });

  afterEach(() => {
    const { app } = current();
    if (app) expect(app.outboundAttempts()).toEqual([]);
  });
}
