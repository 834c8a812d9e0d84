import Link from "next/link";
import { CreativeGenerator } from "@/components/creative-generator";
import { SkipToGenerate } from "@/components/skip-link";
import type { CampaignFormValues } from "@/components/campaign-form";
import { AccountBar } from "@/components/account-bar";
import { appContext } from "@/lib/server/app-context";
import { pageCaller } from "@/lib/server/auth/page-caller";
import { jobIdSchema } from "@/lib/server/jobs/job-requests";
import { AppError } from "@/lib/server/use-cases/app-error";
import { findJob } from "@/lib/server/use-cases/find-job";
import { latestDesign } from "@/lib/server/use-cases/latest-design";
import { creativeFormat, setFormats } from "@/lib/variants";

// Provider availability depends on runtime configuration (HF_TOKEN), not on the build.
export const dynamic = "force-dynamic";

export default async function HomePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { job: rawJobId } = await searchParams;
  const jobId = typeof rawJobId === "string" && jobIdSchema.safeParse(rawJobId).success ? rawJobId : undefined;
  const caller = await pageCaller(jobId ? `/?job=${jobId}` : "/");
  const context = appContext();
  // Another workspace's job is shown as one that does not exist.
  const job = jobId === undefined ? undefined : await findJob(context, caller, jobId).catch((error: unknown) => {
    if (error instanceof AppError && error.code === "not-found") return undefined;
    throw error;
  });
  const lastDesign = job ? undefined : await latestDesign(context, caller);
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
        providers={context.providers.list()}
        defaultProvider={job?.provider ?? context.providers.defaultId()}
        initialValues={initialValues}
        initialJobId={job?.id}
      />
    </main>
  );
}
