import "server-only";
import { appContext, type Accounts } from "../app-context";
import { LOCAL_CALLER, type Caller } from "../auth/caller";
import { identifyCaller } from "../auth/identify-caller";
import { parseJobId } from "./job-id";
import { jsonError } from "./json-errors";

export type Authorized<T> = ({ ok: true; caller: Caller } & T) | { ok: false; response: Response };

/** The caller, or the 401/403 that says what to do; with AUTH=off everyone is the local owner. */
export async function authorize(request: Request): Promise<Authorized<object>> {
  const { accounts } = appContext();
  if (!accounts) return { ok: true, caller: LOCAL_CALLER };
  const found = await identifyCaller(accounts, request.headers);
  if (found.ok) return found;
  const challenge = { "WWW-Authenticate": 'Bearer realm="ad-creative-generator"' };
  const responses = {
    "signed-out": () => jsonError(401, "Sign in first, or send an API token as Authorization: Bearer acg_… (make one on the Workspace page).", undefined, challenge),
    "bad-token": () => jsonError(401, "That API token does not work: it was revoked, or its owner left the workspace. Make a new one on the Workspace page.", undefined, { "WWW-Authenticate": 'Bearer realm="ad-creative-generator", error="invalid_token"' }),
    "no-workspace": () => jsonError(403, "Your account is in no workspace yet: open the invitation link a workspace owner gave you."),
  };
  return { ok: false, response: responses[found.reason]() };
}

/**
 * For the accounts' own routes (tokens, reset links): the caller with the accounts, a 404 when
 * the server has none, and, for what only a person signed in may do, a 403 for a script's token
 * (`personOnly` says so), so a leaked token cannot mint more access.
 */
export async function authorizeAccount(request: Request, options: { personOnly?: string } = {}): Promise<Authorized<{ accounts: Accounts }>> {
  const { accounts } = appContext();
  if (!accounts) return { ok: false, response: jsonError(404, "Accounts are off on this server (AUTH=off): there are no tokens or passwords, and scripts call the API without a token.") };
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized;
  if (options.personOnly && authorized.caller.tokenId) return { ok: false, response: jsonError(403, options.personOnly) };
  return { ok: true, caller: authorized.caller, accounts };
}

/**
 * The caller and a job of their workspace. A job of another workspace answers exactly as one
 * that does not exist, so ids cannot be probed.
 */
export async function authorizeJob(request: Request, rawId: string): Promise<Authorized<{ jobId: string }>> {
  const id = parseJobId(rawId);
  if (!id.ok) return id;
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized;
  const owner = await appContext().repo.workspaceOfJob(id.id);
  if (owner !== authorized.caller.workspaceId) return { ok: false, response: jsonError(404, "No job with that id.") };
  return { ok: true, caller: authorized.caller, jobId: id.id };
}
