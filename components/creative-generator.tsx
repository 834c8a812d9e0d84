"use client";

import { useMemo } from "react";
import { isActive } from "@/hooks/generation-state";
import { useGeneration } from "@/hooks/use-generation";
import { formatSize } from "@/lib/ad-formats";
import type { ProviderId, ProviderOption } from "@/lib/campaign";
import { CampaignForm, type CampaignFormValues } from "./campaign-form";
import { CreativeGrid } from "./creative-grid";
import { GenerationStatus } from "./generation-status";

interface CreativeGeneratorProps {
  providers: ProviderOption[];
  defaultProvider: ProviderId;
  initialValues?: CampaignFormValues;
  /** Opened from history or after a reload: follow (or replay) this job. */
  initialJobId?: string;
}

export function CreativeGenerator({ providers, defaultProvider, initialValues, initialJobId }: CreativeGeneratorProps) {
  const { state, summary, start, stop, retry, regenerate, moreLikeThis, resume } = useGeneration(initialJobId);
  const running = isActive(state.phase);
  // Known from the request before the server answers, so skeletons already have the final shape.
  const size = state.run ?? formatSize(state.pendingFormat ?? "square");
  const actions = useMemo(() => ({ retry, regenerate, moreLikeThis }), [retry, regenerate, moreLikeThis]);

  return (
    <div className="generator">
      <CampaignForm
        providers={providers}
        defaultProvider={defaultProvider}
        initialValues={initialValues}
        running={running}
        onGenerate={start}
        onStop={stop}
      />
      <section className="results" aria-label="Creatives">
        <GenerationStatus phase={state.phase} summary={summary} problem={state.problem} jobId={state.run?.jobId} onResume={resume} />
        {state.slots.length === 0 && !state.problem && !running && (
          <p className="empty-hint">
            Fill in the brief and press <strong>Generate Creatives</strong>. Images appear here the moment each one is ready.
          </p>
        )}
        <CreativeGrid
          slots={state.slots}
          width={size.width}
          height={size.height}
          productName={state.run?.brief.productName ?? ""}
          canAct={!running}
          actions={actions}
        />
      </section>
    </div>
  );
}
