import "server-only";
import type { CopyWriterId } from "@/lib/copy-writing";
import type { UploadSource } from "../branding/brand-assets";
import type { CopyWriter } from "../copywriting/copy-writer";
import type { ImageWork } from "../image-work/image-work";
import type { Jobs } from "../jobs/jobs";
import type { ProviderRegistry } from "../providers/registry";
import type { WorkQueue } from "../queue/work-queue";
import type { BrandKitStore } from "../storage/brand-kit-store";
import type { ImageStorage, JobStore } from "../storage/storage";

/**
 * What the use cases are given: the stores, the jobs, the providers and writers, and a clock.
 * The composition root (`app-context.ts`) is one; a unit test builds its own from fakes.
 */
export interface UseCaseContext {
  repo: JobStore;
  store: ImageStorage;
  jobs: Jobs;
  work: ImageWork;
  /** All-formats exports and PNG downloads, one at a time: each is many full-size composites. */
  exports: WorkQueue;
  kits: BrandKitStore;
  /** The image store and one workspace's uploads: a design may name only its own workspace's. */
  uploadsIn(workspaceId: string): UploadSource;
  providers: Pick<ProviderRegistry, "get" | "configured">;
  copy: {
    writers: Record<CopyWriterId, CopyWriter>;
    /** COPY_WRITER, or undefined for the first one set up. */
    preferred?: CopyWriterId;
    /** A whole draft, correction included, is done by then. */
    timeoutMs: number;
  };
  now: () => number;
}
