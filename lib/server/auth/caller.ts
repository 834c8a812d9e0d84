import type { WorkspaceRole } from "./workspace-members";

/** Where everything lives with AUTH=off, and what existed before accounts were turned on. */
export const LOCAL_WORKSPACE = "local";

/** Who is asking, as far as the core cares: whose things they may see and change. */
export interface Caller {
  workspaceId: string;
  /** null with AUTH=off: one person, no account. */
  userId: string | null;
  role: WorkspaceRole;
  /** Set when a script called with an API token (runs it starts count against the token's limit). */
  tokenId?: string;
}

export const LOCAL_CALLER: Caller = { workspaceId: LOCAL_WORKSPACE, userId: null, role: "owner" };
