import "server-only";
import type { Kysely } from "kysely";
import { ApiTokens } from "./auth/api-tokens";
import { authSecret } from "./auth/auth-secret";
import { createAuthServer, type AuthServer } from "./auth/auth-server";
import { WorkspaceMembers } from "./auth/workspace-members";
import { distributedParts } from "./distributed/distributed-parts";
import { env, type AppEnv } from "./env";
import { inProcessQueue } from "./queue/work-queue";
import type { UseCaseContext } from "./use-cases/use-case-context";
import { ResetTokenCatcher } from "./auth/password-reset-links";
import { createProviderRegistry, type ProviderRegistry } from "./providers/registry";
import { createCopyWriters, preferredCopyWriter } from "./copywriting/copy-writers";
import { createImageWork } from "./image-work/create-image-work";
import { DistributedJobs } from "./distributed/distributed-jobs";
import { JobManager } from "./jobs/job-manager";
import { RedisRunLimiter } from "./distributed/redis-run-limiter";
import { InProcessRunLimiter, type RunLimiter } from "./limits/run-limiter";
import { FileImageStore } from "./storage/files/file-image-store";
import { openSqlite } from "./storage/sqlite/open-sqlite";
import { SqlJobStore } from "./storage/sql/sql-job-store";
import { SqlBrandKitStore } from "./storage/sql/sql-brand-kit-store";
import type { Tables } from "./storage/sql/schema";
import type { ImageStorage, JobStore } from "./storage/storage";

/** Sign-in and workspaces (null with AUTH=off: one person, everything in the local workspace). */
export interface Accounts {
  auth: AuthServer;
  members: WorkspaceMembers;
  tokens: ApiTokens;
  /** Where the auth server's reset tokens are caught (there is no mail): links are made of them. */
  resetTokens: ResetTokenCatcher;
}

/**
 * The composition root: one job store, one image store, one set of jobs, providers, copy writers
 * and image threads per server process, each made here and handed to what uses it; what the use
 * cases are given, and what only the edge needs (accounts, limits, migrations).
 */
export interface AppContext extends UseCaseContext {
  /** The whole registry: the page and /api/providers list and refresh it too. */
  providers: ProviderRegistry;
  /** Brings the shared database's schema up to date (distributed mode; SQLite does it on open). */
  migrate: () => Promise<void>;
  accounts: Accounts | null;
  /** Counts the runs each token and address starts (in Redis when several instances serve). */
  runLimiter: RunLimiter;
}

// Next may load route modules in separate chunks; this one global keeps one context per process
// (everything else is made by it, so nothing else needs a global).
const globalKey = Symbol.for("ad-creative-generator.app-context");
type GlobalWithContext = typeof globalThis & { [globalKey]?: AppContext };

export function appContext(): AppContext {
  const holder = globalThis as GlobalWithContext;
  holder[globalKey] ??= createContext(env());
  return holder[globalKey];
}

function createContext(config: AppEnv): AppContext {
  const work = createImageWork(config.IMAGE_WORKERS);
  const exports = inProcessQueue(1);
  const preferredWriter = preferredCopyWriter(config);
  const providers = createProviderRegistry(config, { render: (options) => work.render(options) });
  const shared = {
    work,
    exports,
    providers,
    copy: { writers: createCopyWriters(config), timeoutMs: config.COPY_TIMEOUT_MS, ...(preferredWriter ? { preferred: preferredWriter } : {}) },
    now: Date.now,
  };
  if (config.deployment.mode === "distributed") {
    const parts = distributedParts(config, config.deployment, "web");
    const { repo, store } = parts;
    let jobs: DistributedJobs | undefined = undefined;
    // Nobody has watched a run for the orphan grace, on any instance: it is stopped.
    parts.presence.onOrphaned = (jobId) => void jobs?.cancel(jobId).then((stopped) => stopped && console.log(`[jobs] job ${jobId} had no viewer for ${config.JOB_ORPHAN_GRACE_MS} ms: stopped`));
    jobs = new DistributedJobs({ ...parts, globalConcurrency: config.GENERATION_GLOBAL_CONCURRENCY });
    parts.presence.start();
    const accounts = accountsOf(config, parts.db, "postgres", repo);
    return { ...shared, repo, store, jobs, uploadsIn: uploadsOf(store, repo), migrate: parts.migrate, accounts, runLimiter: new RedisRunLimiter(parts.redis), kits: new SqlBrandKitStore(parts.db) };
  }
  const db = openSqlite(config.DATA_DIR);
  const repo = new SqlJobStore(db);
  const store = new FileImageStore(config.DATA_DIR);
  const jobs = new JobManager(repo, store, work, {
    concurrency: config.GENERATION_CONCURRENCY,
    globalConcurrency: config.GENERATION_GLOBAL_CONCURRENCY,
    attemptTimeoutMs: config.GENERATION_TIMEOUT_MS,
    orphanGraceMs: config.JOB_ORPHAN_GRACE_MS,
  });
  const accounts = accountsOf(config, db, "sqlite", repo);
  return { ...shared, repo, store, jobs, uploadsIn: uploadsOf(store, repo), migrate: async () => {}, accounts, runLimiter: new InProcessRunLimiter(), kits: new SqlBrandKitStore(db) };
}

function uploadsOf(store: ImageStorage, repo: JobStore): AppContext["uploadsIn"] {
  return (workspaceId) => ({ store, isUpload: (id, kind) => repo.isUpload(id, kind, workspaceId) });
}

function accountsOf(config: AppEnv, db: Kysely<Tables>, dialect: "sqlite" | "postgres", repo: JobStore): Accounts | null {
  if (config.AUTH === "off") return null;
  const members = new WorkspaceMembers(db);
  const resetTokens = new ResetTokenCatcher();
  const auth = createAuthServer({
    db,
    dialect,
    secret: authSecret(config.AUTH_SECRET, config.DATA_DIR),
    appUrl: config.APP_URL,
    signUp: config.SIGN_UP,
    trustProxy: config.TRUST_PROXY,
    members,
    ownership: repo,
    resetTokens,
  });
  return { auth, members, tokens: new ApiTokens(db), resetTokens };
}
