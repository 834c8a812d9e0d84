import Link from "next/link";
import { CreativeGenerator } from "@/components/creative-generator";
import { SkipToGenerate } from "@/components/skip-link";
import type { CampaignFormValues } from "@/components/campaign-form";
import { AccountBar } from "@/components/account-bar";
import { appContext } from "@/lib/server/app-context";
import { pageCaller } from "@/lib/server/auth/page-caller";
import { jobIdSchema } from "@/lib/server/jobs/job-requests";
import { defaultProviderId, listProviders } from "@/lib/server/providers/registry";
import { creativeFormat, setFormats } from "@/lib/variants";

// Provider availability depends on runtime configuration (HF_TOKEN), not on the build.
export const dynamic = "force-dynamic";

export default async function HomePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { job: rawJobId } = await searchParams;
  const jobId = typeof rawJobId === "string" && jobIdSchema.safeParse(rawJobId).success ? rawJobId : undefined;
  const caller = await pageCaller(jobId ? `/?job=${jobId}` : "/");
  const { repo, jobs } = appContext();
  // Another workspace's job is shown as one that does not exist.
  const owned = jobId !== undefined && (await repo.workspaceOfJob(jobId)) === caller.workspaceId;
  const job = owned ? await jobs.getJob(jobId) : undefined;
  // The brand kit is remembered: a new campaign starts from the workspace's last brand and copy.
  const lastDesign = job ? undefined : await repo.latestDesign(caller.workspaceId);
  const initialValues: Partial<CampaignFormValues> | undefined = job
    ? { brief: job.brief, design: job.design, formats: setFormats(job.format, job.images.map((image) => image.variant)), count: job.images.filter((image) => creativeFormat(image.variant, job.format) === job.format).length, preset: job.preset, model: job.model, ...(job.images[0]?.variant ? { variants: job.images[0].variant.dimension } : {}) }
    : lastDesign
      ? { design: lastDesign }
      : undefined;

  return (
    <main className="page">
      <SkipToGenerate />
      <header className="page-header">
        <div>
          <h1>Ad Creative Generator</h1>
          <p>Describe the campaign, press Generate, and watch each creative arrive the moment it is ready.</p>
        </div>
        <nav aria-label="Main">
          <Link href="/history">History</Link>
          <AccountBar account={caller.account} />
        </nav>
      </header>
      {jobId && !job && (
        <p className="problem" role="alert">
          That job no longer exists. Start a new one below.
        </p>
      )}
      <CreativeGenerator
        key={job?.id ?? "new"}
        providers={listProviders()}
        defaultProvider={job?.provider ?? defaultProviderId()}
        initialValues={initialValues}
        initialJobId={job?.id}
      />
    </main>
  );
}
