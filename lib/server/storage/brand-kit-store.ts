import "server-only";
import type { SavedBrandKit } from "@/lib/brand-kits";

/** Where a workspace's brand kits are kept (the same database as its jobs). */
export interface BrandKitStore {
  list(workspaceId: string): Promise<SavedBrandKit[]>;
  /** Inserts, or replaces the workspace's kit of the same name; answers the kit as stored. */
  save(workspaceId: string, kit: Omit<SavedBrandKit, "id">, newId: string): Promise<SavedBrandKit>;
  /** False when the workspace has no kit with that id. */
  remove(workspaceId: string, id: string): Promise<boolean>;
  count(workspaceId: string): Promise<number>;
}
