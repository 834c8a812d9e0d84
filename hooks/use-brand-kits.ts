"use client";

import { useCallback, useEffect, useState } from "react";
import type { BrandKitInput, SavedBrandKit } from "@/lib/brand-kits";
import { deleteBrandKit, describeFailure, listBrandKits, saveBrandKit } from "@/lib/client/api";

/** The workspace's brand kits: listed on mount, saved (replacing one of the same name) and deleted. */
export function useBrandKits() {
  const [kits, setKits] = useState<SavedBrandKit[]>([]);
  const [problem, setProblem] = useState<string | undefined>();

  useEffect(() => {
    const controller = new AbortController();
    listBrandKits(controller.signal)
      .then((found) => found && setKits(found))
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  const save = useCallback(async (kit: BrandKitInput): Promise<SavedBrandKit | null> => {
    setProblem(undefined);
    try {
      const response = await saveBrandKit(kit);
      if (!response.ok) {
        setProblem(await describeFailure(response));
        return null;
      }
      const saved = (await response.json()) as SavedBrandKit;
      setKits((current) => [...current.filter((each) => each.id !== saved.id), saved].sort((a, b) => a.name.localeCompare(b.name)));
      return saved;
    } catch {
      setProblem("Could not reach the server to save the kit.");
      return null;
    }
  }, []);

  const remove = useCallback(async (kitId: string) => {
    setProblem(undefined);
    const response = await deleteBrandKit(kitId).catch(() => null);
    if (response?.ok) setKits((current) => current.filter((kit) => kit.id !== kitId));
    else setProblem(response ? await describeFailure(response) : "Could not reach the server to delete the kit.");
  }, []);

  return { kits, save, remove, problem };
}
