import { afterAll, afterEach, expect } from "vitest";
import { removeDir, type AppServer } from "./app-server";

/**
 * The teardown every suite with its own app needs: after each test, nothing the app did may have
 * tried to leave loopback; after the suite, the app and its stand-ins stop and its data goes.
 * `current` is read when the hooks run, so it sees what `beforeAll` started.
 */
export function appSuiteHooks(current: () => { app?: AppServer; standIns?: ({ close(): Promise<void> } | undefined)[]; dataDir?: string }): void {
  afterAll(async () => {
    const { app, standIns = [], dataDir } = current();
    await app?.stop();
    for (const standIn of standIns) await standIn?.close();
    if (dataDir) removeDir(dataDir);
  });

  afterEach(() => {
    const { app } = current();
    if (app) expect(app.outboundAttempts()).toEqual([]);
  });
}
