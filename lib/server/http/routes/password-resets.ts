import "server-only";
import { newPasswordResetSchema } from "@/lib/password-resets";
import { scopeResetLink } from "../../auth/auth-server";
import { memberResetLink } from "../../auth/password-reset-links";
import { accountCallerOf } from "../authorize";
import { answer } from "../error-response";
import { readParsedBody } from "../read-json-body";

/**
 * POST /api/password-resets {memberId}: a one-time link (for a day) that lets a member of the
 * caller's workspace choose a new password; their sessions end when they do. Signed in only.
 */
export function createPasswordReset(request: Request): Promise<Response> {
  return answer(async () => {
    const { caller, accounts } = await accountCallerOf(request, { personOnly: "Reset links are made on the Workspace page while signed in, not with a token." });
    const { memberId } = await readParsedBody(request, 4 * 1024, newPasswordResetSchema, "The request is not valid: fix the fields listed in issues.");
    const made = await memberResetLink(
      { members: accounts.members, resetToken: (email) => accounts.resetTokens.tokenFor((input) => accounts.auth.api.requestPasswordReset(input), email), scopeLink: (token, workspaceId) => scopeResetLink(accounts.auth, token, workspaceId) },
      caller,
      memberId,
    );
    return Response.json(made, { status: 201, headers: { "Cache-Control": "no-store" } });
  });
}
