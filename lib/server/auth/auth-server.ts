import "server-only";
import { randomBytes } from "node:crypto";
import { APIError, betterAuth } from "better-auth";
import { createAuthMiddleware } from "better-auth/api";
import { nextCookies } from "better-auth/next-js";
import { organization } from "better-auth/plugins";
import type { Kysely } from "kysely";
import type { Ownership } from "../storage/storage";
import type { Tables } from "../storage/sql/schema";
import { LOCAL_WORKSPACE } from "./caller";
import { ApiTokens } from "./api-tokens";
import { RESET_LINK_LIFETIME_SECONDS, type ResetTokenCatcher, resetScopeIdentifier, scopedResetRefusal } from "./password-reset-links";
import type { WorkspaceMembers } from "./workspace-members";

export interface AuthServerOptions {
  db: Kysely<Tables>;
  dialect: "sqlite" | "postgres";
  secret: string;
  /** The public address (APP_URL); unset, each request's own origin is used. */
  appUrl?: string;
  signUp: "invite" | "open";
  trustProxy: boolean;
  members: WorkspaceMembers;
  ownership: Pick<Ownership, "moveWorkspace">;
  /** Where reset tokens go instead of a mail: whoever asks for a link takes it from there. */
  resetTokens: ResetTokenCatcher;
}

/** The longest name of a person or a workspace (token names have their own, shorter limit). */
export const MAX_NAME_LENGTH = 100;

/** Login attempts one address may make a minute (password guessing). */
export const SIGN_IN_ATTEMPTS_PER_MINUTE = 5;
/** Sign-ups one address may make a minute: a team behind one office address joins together. */
export const SIGN_UPS_PER_MINUTE = 20;

/**
 * better-auth with email and password, sessions in the app's own database (SQLite or Postgres,
 * through the app's Kysely), workspaces as its organizations, and login throttling kept in the
 * database so every web instance counts the same attempts.
 */
export function createAuthServer(options: AuthServerOptions) {
  const { members, ownership } = options;
  // The hooks below call the instance they belong to; it exists by the time any request runs them.
  const self: { auth?: { api: { createOrganization: (input: { body: { name: string; slug: string; userId: string } }) => Promise<{ id: string } | null> } } } = {};

  const auth = betterAuth({
    appName: "Ad Creative Generator",
    ...(options.appUrl ? { baseURL: options.appUrl } : {}),
    basePath: "/api/auth",
    secret: options.secret,
    database: { db: options.db, type: options.dialect },
    emailAndPassword: {
      enabled: true,
      minPasswordLength: 10,
      maxPasswordLength: 128,
      autoSignIn: true,
      // No mail server: the token is caught and shown to the owner (or the operator) as a link.
      sendResetPassword: async ({ token }) => options.resetTokens.catch(token),
      resetPasswordTokenExpiresIn: RESET_LINK_LIFETIME_SECONDS,
      revokeSessionsOnPasswordReset: true,
      // Whoever had the account may have made tokens with it: a reset ends them with the sessions.
      onPasswordReset: async ({ user }) => {
        await new ApiTokens(options.db).revokeAllOf(user.id);
      },
    },
    // Anyone could ask for a reset of any address here, and nobody would read the mail: resets
    // are made by owners and admins for their members (and by the operator), through the app.
    disabledPaths: ["/request-password-reset"],
    session: { expiresIn: 60 * 60 * 24 * 14, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: true,
      storage: "database",
      window: 60,
      max: 300,
      customRules: {
        "/sign-in/email": { window: 60, max: SIGN_IN_ATTEMPTS_PER_MINUTE },
        "/sign-up/email": { window: 60, max: SIGN_UPS_PER_MINUTE },
        "/reset-password": { window: 60, max: SIGN_IN_ATTEMPTS_PER_MINUTE },
      },
    },
    advanced: {
      // start.mjs puts the socket's address in X-Client-Address; a proxy's word is taken only when trusted.
      ipAddress: { ipAddressHeaders: options.trustProxy ? ["x-forwarded-for"] : ["x-client-address"] },
      useSecureCookies: options.appUrl?.startsWith("https://") ?? false,
      cookiePrefix: "acg",
      trustedProxyHeaders: options.trustProxy,
    },
    // The origin the browser used (Next's request.url names its own host, not the one asked for);
    // proxy.ts already refuses other sites' requests before they reach here.
    trustedOrigins: (request) => [requestOrigin(request, options)],
    telemetry: { enabled: false },
    // Its warnings are about what is chosen here on purpose (the origin taken from each request
    // when APP_URL is unset); errors, such as a refused origin, are still logged.
    logger: { level: "error" },
    plugins: [
      organization({
        // Workspaces come from sign-up (the owner's, or a stranger's with SIGN_UP=open); members join by invitation.
        allowUserToCreateOrganization: false,
        // The app has no way to delete a workspace: its campaigns and files would be left to nobody.
        disableOrganizationDeletion: true,
        creatorRole: "owner",
        invitationExpiresIn: 60 * 60 * 24 * 7,
        cancelPendingInvitationsOnReInvite: true,
        // No mail server: the owner is shown the link and passes it on.
      }),
      nextCookies(),
    ],
    hooks: {
      before: createAuthMiddleware(async (ctx) => {
        const tooLong = overlongProfileField(ctx.path, ctx.body);
        if (tooLong) throw new APIError("BAD_REQUEST", { message: tooLong });
        if (ctx.path === "/reset-password" && typeof ctx.body?.token === "string") {
          const refused = await resetRefusal(ctx.context.internalAdapter, members, ctx.body.token);
          if (refused) throw new APIError("FORBIDDEN", { message: refused });
        }
        if (ctx.path !== "/sign-up/email") return;
        const email = typeof ctx.body?.email === "string" ? ctx.body.email : "";
        if (options.signUp === "open" || !(await members.hasAnyUser()) || (await members.isInvited(email))) return;
        throw new APIError("FORBIDDEN", { message: "Accounts here are by invitation: ask a workspace owner for an invitation link, and open it to sign up." });
      }),
    },
    databaseHooks: {
      user: {
        create: {
          // The first account owns the first workspace, which takes over what was made before
          // accounts existed; with SIGN_UP=open a newcomer without an invitation gets a workspace of their own.
          after: async (user) => {
            if (await members.isInvited(user.email)) return;
            const first = !(await members.hasAnyWorkspace());
            const workspace = await self.auth!.api.createOrganization({
              body: { name: `${(user.name.split(" ")[0] || "My").slice(0, MAX_NAME_LENGTH - "'s workspace".length)}'s workspace`, slug: `ws-${randomBytes(6).toString("hex")}`, userId: user.id },
            });
            if (!workspace) return;
            if (first) await ownership.moveWorkspace(LOCAL_WORKSPACE, workspace.id);
            // better-auth made the sign-up's session before this hook ran: it starts in the new workspace too.
            await options.db.updateTable("session").set({ activeOrganizationId: workspace.id }).where("userId", "=", user.id).where("activeOrganizationId", "is", null).execute();
          },
        },
      },
      session: {
        create: {
          // A new session starts in the person's first workspace, so invitations and the pages act on it.
          before: async (session) => {
            if (session.activeOrganizationId) return;
            const first = await members.firstWorkspaceOf(session.userId);
            return first ? { data: { ...session, activeOrganizationId: first.workspaceId } } : undefined;
          },
        },
      },
    },
  });
  self.auth = auth as unknown as typeof self.auth;
  return auth;
}

export type AuthServer = ReturnType<typeof createAuthServer>;

type Verifications = Pick<Awaited<AuthServer["$context"]>["internalAdapter"], "findVerificationValue" | "findUserById">;

/** Records which workspace made a reset link, kept as long as the link works, where better-auth keeps the link's own record. */
export async function scopeResetLink(auth: AuthServer, token: string, workspaceId: string): Promise<void> {
  const { internalAdapter } = await auth.$context;
  await internalAdapter.createVerificationValue({ identifier: resetScopeIdentifier(token), value: workspaceId, expiresAt: new Date(Date.now() + RESET_LINK_LIFETIME_SECONDS * 1000) });
}

/** Why a workspace's reset link may not be used now (see `scopedResetRefusal`); undefined for the operator's links and unknown tokens, which better-auth answers itself. */
async function resetRefusal(verifications: Verifications, members: WorkspaceMembers, token: string): Promise<string | undefined> {
  const scope = await verifications.findVerificationValue(resetScopeIdentifier(token));
  if (!scope) return undefined;
  const reset = await verifications.findVerificationValue(`reset-password:${token}`);
  const user = reset ? await verifications.findUserById(reset.value) : null;
  return user ? scopedResetRefusal(members, { userId: user.id, email: user.email }, scope.value) : undefined;
}

/** The text fields of people and workspaces that better-auth's endpoints take, and where each sits in the body. */
const PROFILE_BODIES: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
  "/sign-up/email": (body) => body,
  "/update-user": (body) => body,
  "/organization/create": (body) => body,
  "/organization/update": (body) => (typeof body.data === "object" && body.data !== null ? (body.data as Record<string, unknown>) : {}),
};

/** How long each may be: names shown everywhere, an image's or logo's address, a workspace's slug. */
const PROFILE_FIELD_LIMITS: Record<string, number> = { name: MAX_NAME_LENGTH, slug: MAX_NAME_LENGTH, image: 2048, logo: 2048 };

/**
 * Why a field of this request is refused, or undefined. better-auth takes names (and an image's
 * address) of any length, and they are copied into every page and session answer: a 2 MB one
 * would weigh on all of them.
 */
export function overlongProfileField(path: string, body: unknown): string | undefined {
  const pick = PROFILE_BODIES[path];
  if (!pick || typeof body !== "object" || body === null) return undefined;
  const fields = pick(body as Record<string, unknown>);
  for (const [field, limit] of Object.entries(PROFILE_FIELD_LIMITS)) {
    const value = fields[field];
    if (typeof value === "string" && value.length > limit) return `${field}: at most ${limit} characters (this one has ${value.length}). Use a shorter ${field === "name" ? "name" : field === "slug" ? "slug" : "address"}.`;
  }
  return undefined;
}

/** The origin a request was sent to: APP_URL's, else its Host (and, behind a trusted proxy, the forwarded protocol). */
function requestOrigin(request: Request | undefined, options: Pick<AuthServerOptions, "appUrl" | "trustProxy">): string | undefined {
  if (options.appUrl) return new URL(options.appUrl).origin;
  const host = request?.headers.get("host");
  if (!host) return undefined;
  const forwardedProto = options.trustProxy ? request?.headers.get("x-forwarded-proto")?.split(",")[0]?.trim() : undefined;
  return `${forwardedProto === "https" ? "https" : "http"}://${host}`;
}
