import { apiPaths } from "../api-paths";
import type { AdFormatId } from "../ad-formats";
import type { GenerateRequest, ProviderId, ProviderOption } from "../campaign";
import type { CopyLine, Design, LayoutId } from "../design";
import type { CopyWriterInfo, WriteCopyRequest } from "../copy-writing";
import type { BrandKitInput, SavedBrandKit } from "../brand-kits";
import type { RerunAction } from "./rerun-action";

/** The browser's calls to the app, typed; streams are returned as Responses for the SSE reader. */

const json = (body: unknown): RequestInit => ({ method: "POST", headers: { "Content-Type": "application/json", Accept: "text/event-stream" }, body: JSON.stringify(body) });

export function startGeneration(request: GenerateRequest, signal: AbortSignal): Promise<Response> {
  return fetch(apiPaths.generate, { ...json(request), signal });
}

/** `using`: make the images with another provider and model than the job's ("Retry with …"). */
export function rerunImages(jobId: string, action: RerunAction, index: number | undefined, using: { provider: ProviderId; model: string } | undefined, signal: AbortSignal, format?: AdFormatId): Promise<Response> {
  const body = { action, index, ...(format ? { format } : {}), ...(using ? { provider: using.provider, ...(using.model ? { model: using.model } : {}) } : {}) };
  return fetch(apiPaths.jobImages(jobId), { ...json(body), signal });
}

/** A job's events after `lastEventId` (all of them when absent), then live until its run ends. */
export function openJobEvents(jobId: string, lastEventId: number | undefined, signal: AbortSignal): Promise<Response> {
  const headers: Record<string, string> = { Accept: "text/event-stream" };
  if (lastEventId !== undefined) headers["Last-Event-ID"] = String(lastEventId);
  return fetch(apiPaths.jobEvents(jobId), { headers, signal });
}

export function cancelJob(jobId: string): Promise<Response> {
  return fetch(apiPaths.jobCancel(jobId), { method: "POST" });
}

export function deleteJob(jobId: string): Promise<Response> {
  return fetch(apiPaths.job(jobId), { method: "DELETE" });
}

const patch = (url: string, body: unknown, signal: AbortSignal) => fetch(url, { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body), signal });

/** A new design for every finished creative of the set; each keeps its format. */
export function updateDesign(jobId: string, design: Design, signal: AbortSignal): Promise<Response> {
  return patch(apiPaths.jobDesign(jobId), { design }, signal);
}

export function updateLayout(jobId: string, index: number, layout: LayoutId, signal: AbortSignal): Promise<Response> {
  return patch(apiPaths.jobImage(jobId, index), { layout }, signal);
}

/** One creative's own copy lines (the others keep the campaign's). */
export function updateCreativeCopy(jobId: string, index: number, copy: Partial<Record<CopyLine, string>>, signal: AbortSignal): Promise<Response> {
  return patch(apiPaths.jobImage(jobId, index), { copy }, signal);
}

export function uploadFile(endpoint: string, file: File): Promise<Response> {
  return fetch(endpoint, { method: "POST", headers: { "Content-Type": "application/octet-stream" }, body: file });
}

export async function listProviders(signal: AbortSignal): Promise<ProviderOption[] | null> {
  const response = await fetch(apiPaths.providers, { signal, cache: "no-store" });
  return response.ok ? ((await response.json()) as { providers: ProviderOption[] }).providers : null;
}

export async function listCopyWriters(signal: AbortSignal): Promise<CopyWriterInfo[] | null> {
  const response = await fetch(apiPaths.copy, { signal, cache: "no-store" });
  return response.ok ? ((await response.json()) as { writers: CopyWriterInfo[] }).writers : null;
}

export function draftCopy(request: WriteCopyRequest, signal: AbortSignal): Promise<Response> {
  return fetch(apiPaths.copy, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(request), signal });
}

export async function listBrandKits(signal: AbortSignal): Promise<SavedBrandKit[] | null> {
  const response = await fetch(apiPaths.brandKits, { signal, cache: "no-store" });
  return response.ok ? ((await response.json()) as { kits: SavedBrandKit[] }).kits : null;
}

export function saveBrandKit(kit: BrandKitInput): Promise<Response> {
  return fetch(apiPaths.brandKits, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(kit) });
}

export function deleteBrandKit(kitId: string): Promise<Response> {
  return fetch(apiPaths.brandKit(kitId), { method: "DELETE" });
}

export function checkProvider(id: ProviderId): Promise<Response> {
  return fetch(apiPaths.providerCheck(id), { method: "POST" });
}

/** What went wrong, in the server's words: its field messages ("Enter the product name.") or its error. */
export async function describeFailure(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: string; issues?: { path: string; message: string }[] };
    if (body.issues?.length) return body.issues.map((issue) => issue.message).join(" ");
    return body.error || `The server answered ${response.status}.`;
  } catch {
    return `The server answered ${response.status}.`;
  }
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : "network error";
}

/** A new personal API token; the answer holds the token itself, this once. */
export function createApiToken(name: string): Promise<Response> {
  return fetch(apiPaths.tokens, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name }) });
}

export function revokeApiToken(tokenId: string): Promise<Response> {
  return fetch(apiPaths.token(tokenId), { method: "DELETE" });
}

/** A one-time password-reset link for a member of the workspace (owners and admins). */
export function createPasswordReset(memberId: string): Promise<Response> {
  return fetch(apiPaths.passwordResets, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ memberId }) });
}
