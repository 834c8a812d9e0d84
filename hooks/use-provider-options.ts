"use client";

import { useCallback, useEffect, useState } from "react";
import type { ProviderId, ProviderOption } from "@/lib/campaign";
import { checkProvider, listProviders } from "@/lib/client/api";

/**
 * The providers as the server sees them right now. The page renders with what the server knew
 * without waiting on the network; this hook then asks for the live facts (which Inference
 * Providers serve each model, Pollinations' model list) and checks credentials on demand.
 */
export function useProviderOptions(initial: ProviderOption[]) {
  const [providers, setProviders] = useState(initial);
  const [checking, setChecking] = useState<ProviderId | null>(null);
  const [problem, setProblem] = useState<string | undefined>();

  useEffect(() => {
    const controller = new AbortController();
    listProviders(controller.signal)
      .then((live) => {
        if (live) setProviders(live);
      })
      .catch(() => {
        // Offline or aborted: the server-rendered facts stay, and a run is still checked by the server.
      });
    return () => controller.abort();
  }, []);

  const check = useCallback(async (id: ProviderId) => {
    setChecking(id);
    setProblem(undefined);
    try {
      const response = await checkProvider(id);
      const body = (await response.json()) as { provider?: ProviderOption; error?: string };
      if (body.provider) {
        const updated = body.provider;
        setProviders((current) => current.map((provider) => (provider.id === id ? updated : provider)));
      } else setProblem(body.error ?? `The check failed (HTTP ${response.status}).`);
    } catch {
      setProblem("Could not reach the server to run the check.");
    } finally {
      setChecking(null);
    }
  }, []);

  return { providers, check, checking, problem };
}
