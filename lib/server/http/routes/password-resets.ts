import "server-only";
import { newPasswordResetSchema } from "@/lib/password-resets";
import { scopeResetLink } from "../../auth/auth-server";
import { memberResetLink } from "../../auth/password-reset-links";
import { authorizeAccount } from "../authorize";
import { issuesFromZod, jsonError } from "../json-errors";
import { readJsonBody } from "../read-json-body";

/**
 * POST /api/password-resets {memberId}: a one-time link (for a day) that lets a member of the
 * caller's workspace choose a new password; their sessions end when they do. Signed in only.
 */
export async function createPasswordReset(request: Request): Promise<Response> {
  const authorized = await authorizeAccount(request, { personOnly: "Reset links are made on the Workspace page while signed in, not with a token." });
  if (!authorized.ok) return authorized.response;
  const { accounts } = authorized;
  const body = await readJsonBody(request, 4 * 1024);
  if (!body.ok) return body.response;
  const parsed = newPasswordResetSchema.safeParse(body.value);
  if (!parsed.success) return jsonError(400, "The request is not valid: fix the fields listed in issues.", issuesFromZod(parsed.error));
  const made = await memberResetLink(
    { members: accounts.members, requestReset: (input) => accounts.auth.api.requestPasswordReset(input), scopeLink: (token, workspaceId) => scopeResetLink(accounts.auth, token, workspaceId) },
    authorized.caller,
    parsed.data.memberId,
  );
  if (!made.ok) return jsonError(made.status, made.message);
  return Response.json({ path: made.path, email: made.email }, { status: 201, headers: { "Cache-Control": "no-store" } });
}
