import "server-only";
import { appContext, type Accounts } from "../app-context";
import { LOCAL_CALLER, type Caller } from "../auth/caller";
import { identifyCaller } from "../auth/identify-caller";
import { AppError } from "../use-cases/app-error";
import { requireOwnedJob } from "../use-cases/find-job";
import { parseJobId } from "./job-id";

const REFUSALS = {
  "signed-out": () => new AppError("unauthenticated", "Sign in first, or send an API token as Authorization: Bearer acg_… (make one on the Workspace page)."),
  "bad-token": () => new AppError("bad-token", "That API token does not work: it was revoked, or its owner left the workspace. Make a new one on the Workspace page."),
  "no-workspace": () => new AppError("forbidden", "Your account is in no workspace yet: open the invitation link a workspace owner gave you."),
};

/** The caller; with AUTH=off everyone is the local owner. Throws the AppError that says what to do. */
export async function callerOf(request: Request): Promise<Caller> {
  const { accounts } = appContext();
  // A caller of its own per request: what was checked for it (see requireOwnedJob) lives as long as the request.
  if (!accounts) return { ...LOCAL_CALLER };
  const found = await identifyCaller(accounts, request.headers);
  if (found.ok) return found.caller;
  throw REFUSALS[found.reason]();
}

/**
 * For the accounts' own routes (tokens, reset links): the caller with the accounts, not-found
 * when the server has none, and, for what only a person signed in may do, forbidden for a
 * script's token (`personOnly` says so), so a leaked token cannot mint more access.
 */
export async function accountCallerOf(request: Request, options: { personOnly?: string } = {}): Promise<{ caller: Caller; accounts: Accounts }> {
  const { accounts } = appContext();
  if (!accounts) throw new AppError("not-found", "Accounts are off on this server (AUTH=off): there are no tokens or passwords, and scripts call the API without a token.");
  const caller = await callerOf(request);
  if (options.personOnly && caller.tokenId) throw new AppError("forbidden", options.personOnly);
  return { caller, accounts };
}

/** The caller and one of their jobs: a bad id is refused before any storage is touched. */
export async function jobCallerOf(request: Request, rawId: string): Promise<{ caller: Caller; jobId: string }> {
  const jobId = parseJobId(rawId);
  const caller = await callerOf(request);
  await requireOwnedJob(appContext(), caller, jobId);
  return { caller, jobId };
}
