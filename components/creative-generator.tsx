"use client";

import { useGeneration } from "@/hooks/use-generation";
import { formatSize } from "@/lib/ad-formats";
import type { ProviderId, ProviderOption } from "@/lib/campaign";
import { CampaignForm } from "./campaign-form";
import { CreativeGrid } from "./creative-grid";
import { GenerationStatus } from "./generation-status";

export function CreativeGenerator({ providers, defaultProvider }: { providers: ProviderOption[]; defaultProvider: ProviderId }) {
  const { state, summary, start, stop, retry } = useGeneration();
  const running = state.phase === "starting" || state.phase === "running";
  // Known from the request before the server answers, so skeletons already have the final shape.
  const size = state.request ? formatSize(state.request.format) : formatSize("square");

  return (
    <div className="generator">
      <CampaignForm providers={providers} defaultProvider={defaultProvider} running={running} onGenerate={start} onStop={stop} />
      <section className="results" aria-label="Creatives">
        <GenerationStatus phase={state.phase} summary={summary} problem={state.problem} />
        {state.slots.length === 0 && !state.problem && (
          <p className="empty-hint">Fill in the brief and press <strong>Generate Creatives</strong>. Images appear here the moment each one is ready.</p>
        )}
        <CreativeGrid
          slots={state.slots}
          width={size.width}
          height={size.height}
          productName={state.request?.productName ?? ""}
          canRetry={!running}
          onRetry={retry}
        />
      </section>
    </div>
  );
}
