import { apiPaths } from "@/lib/api-paths";
import Link from "next/link";
import { DeleteJobButton } from "@/components/delete-job-button";
import { AD_FORMATS } from "@/lib/ad-formats";
import { PROVIDER_NAMES } from "@/lib/providers-meta";
import { AccountBar } from "@/components/account-bar";
import { appContext } from "@/lib/server/app-context";
import { pageCaller } from "@/lib/server/auth/page-caller";
import { decodeCursor, encodeCursor } from "@/lib/server/http/history-cursor";
import { listJobs } from "@/lib/server/use-cases/list-jobs";

export const dynamic = "force-dynamic";

const PAGE_SIZE = 12;
const STATUS_LABELS = { running: "Running", completed: "Completed", cancelled: "Stopped", interrupted: "Interrupted" } as const;

export default async function HistoryPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { cursor: rawCursor } = await searchParams;
  const cursor = decodeCursor(typeof rawCursor === "string" ? rawCursor : null);
  const caller = await pageCaller("/history");
  const page = await listJobs(appContext(), caller, { limit: PAGE_SIZE, ...(cursor && cursor !== "invalid" ? { before: cursor } : {}) });
  const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

  return (
    <main className="page">
      <header className="page-header">
        <div>
          <h1 id="history-title" tabIndex={-1}>
            History
          </h1>
          <p>Every campaign you generated, newest first. Open one to see its creatives exactly as they were.</p>
        </div>
        <nav aria-label="Main">
          <Link href="/">New campaign</Link>
          <AccountBar account={caller.account} />
        </nav>
      </header>
      {page.jobs.length === 0 ? (
        <p className="empty-hint">
          No campaigns yet. <Link href="/">Generate your first creatives</Link>.
        </p>
      ) : (
        <ul className="history-list" aria-label="Past campaigns">
          {page.jobs.map((job) => (
            <li key={job.id} className="history-item" data-testid="history-item">
              <Link href={`/?job=${job.id}`} className="history-item__thumbs" tabIndex={-1} aria-hidden="true">
                {job.thumbIds.length === 0 ? (
                  <span className="history-item__empty">No images</span>
                ) : (
                  job.thumbIds.map((thumbId) => (
                    // eslint-disable-next-line @next/next/no-img-element -- stored WebP previews, already small
                    <img key={thumbId} src={apiPaths.image(thumbId)} alt="" loading="lazy" decoding="async" />
                  ))
                )}
              </Link>
              <div className="history-item__info">
                {/* Named by what differs between campaigns of one product: the headline, the format, the provider. */}
                <Link href={`/?job=${job.id}`} className="history-item__title" data-testid="history-title" aria-label={`Open ${job.productName}: ${job.headline}, ${dateFormat.format(job.createdAt)} UTC`}>
                  {job.headline}
                </Link>
                <p className="history-item__meta">
                  {job.productName} · {job.formats.map((format) => AD_FORMATS[format].label).join(", ")} · <span title={job.model}>{PROVIDER_NAMES[job.provider]}</span>
                </p>
                <p className="history-item__meta">
                  <span className={`badge badge--${job.status}`}>{STATUS_LABELS[job.status]}</span> {job.succeeded} of {job.total} images
                  {job.failed > 0 ? `, ${job.failed} failed` : ""}
                </p>
                <p className="history-item__meta">
                  <time dateTime={new Date(job.createdAt).toISOString()}>{dateFormat.format(job.createdAt)} UTC</time>
                </p>
              </div>
              <div className="history-item__actions">
                {job.succeeded > 0 && (
                  <a className="button button--small" href={apiPaths.jobDownload(job.id)} download>
                    Download all
                  </a>
                )}
                <DeleteJobButton jobId={job.id} label={`${job.productName}: ${job.headline}`} />
              </div>
            </li>
          ))}
        </ul>
      )}
      <nav className="pagination" aria-label="Pages">
        {cursor && <Link href="/history">Newest</Link>}
        {page.next && <Link href={`/history?cursor=${encodeCursor(page.next)}`}>Older campaigns →</Link>}
      </nav>
    </main>
  );
}
