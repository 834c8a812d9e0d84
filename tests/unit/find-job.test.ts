import { describe, expect, it } from "vitest";
import type { Caller } from "@/lib/server/auth/caller";
import { AppError } from "@/lib/server/use-cases/app-error";
import { requireOwnedJob } from "@/lib/server/use-cases/find-job";
import type { JobStore } from "@/lib/server/storage/storage";

function countingRepo(owners: Record<string, string>) {
  const asked: string[] = [];
  const repo = {
    workspaceOfJob: async (jobId: string) => {
      asked.push(jobId);
      return owners[jobId];
    },
  } as unknown as JobStore;
  return { repo, asked };
}

describe("requireOwnedJob", () => {
  it("asks the database once per request (caller) and job: the edge's check serves the use case after it", async () => {
    const { repo, asked } = countingRepo({ "job-a": "ws-1" });
    const request: Caller = { workspaceId: "ws-1", userId: "u1", role: "owner" };
    await requireOwnedJob({ repo }, request, "job-a");
    await requireOwnedJob({ repo }, request, "job-a");
    expect(asked).toEqual(["job-a"]);
    // The next request is another caller object: it is checked again.
    await requireOwnedJob({ repo }, { ...request }, "job-a");
    expect(asked).toEqual(["job-a", "job-a"]);
  });

  it("refuses another workspace's job as missing every time, remembering nothing", async () => {
    const { repo, asked } = countingRepo({ "job-b": "ws-2" });
    const caller: Caller = { workspaceId: "ws-1", userId: "u1", role: "owner" };
    for (let attempt = 0; attempt < 2; attempt++) {
      const refused = await requireOwnedJob({ repo }, caller, "job-b").catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(AppError);
      expect(refused).toMatchObject({ code: "not-found", message: "No job with that id." });
    }
    expect(asked).toEqual(["job-b", "job-b"]);
  });
});
