import "server-only";
import type { Design } from "@/lib/design";
import type { Caller } from "../auth/caller";
import type { UseCaseContext } from "./use-case-context";

/** The brand kit is remembered: a new campaign starts from the workspace's last brand and copy. */
export function latestDesign(context: Pick<UseCaseContext, "repo">, caller: Caller): Promise<Design | undefined> {
  return context.repo.latestDesign(caller.workspaceId);
}
