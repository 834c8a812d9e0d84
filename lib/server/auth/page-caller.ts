import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { appContext } from "../app-context";
import { LOCAL_CALLER, type Caller } from "./caller";
import { identifyCaller } from "./identify-caller";

export interface PageCaller extends Caller {
  /** null with AUTH=off: no account to show, nothing to sign out of. */
  account: { name: string; email: string; workspaceName: string } | null;
}

/**
 * The caller of a page, or a redirect: to sign-up while the server has no account yet (the first
 * one becomes the owner), else to sign-in, coming back to `returnTo` afterwards.
 */
export async function pageCaller(returnTo: string): Promise<PageCaller> {
  const { accounts } = appContext();
  if (!accounts) return { ...LOCAL_CALLER, account: null };
  const found = await identifyCaller(accounts, await headers());
  if (!found.ok) {
    if (found.reason === "no-workspace") redirect("/sign-in?problem=no-workspace");
    if (!(await accounts.members.hasAnyUser())) redirect("/sign-up");
    redirect(`/sign-in?next=${encodeURIComponent(returnTo)}`);
  }
  const workspaceName = (await accounts.members.workspaceName(found.caller.workspaceId)) ?? "Workspace";
  return { ...found.caller, account: found.person ? { ...found.person, workspaceName } : null };
}
