import "server-only";
import { failure, type AppError } from "../use-cases/app-error";

/** A text provider's HTTP status as an error the marketer can act on; `fix` names where credentials or credits are. */
export function writerHttpError(label: string, status: number, detail: string, fix: { credentials: string; credits: string }): { ok: false; error: AppError } {
  const said = detail ? `: ${detail.slice(0, 300)}` : "";
  if (status === 401 || status === 403) return failure("unavailable", `${label} refused the key (HTTP ${status})${said}. ${fix.credentials}`, "writer");
  if (status === 402) return failure("unavailable", `${label} says the account has no credits left (HTTP 402). ${fix.credits}`, "writer");
  if (status === 429) return failure("rate-limited", `${label} asks to slow down (HTTP 429)${said}. Wait a minute, or use the offline writer.`);
  if (status === 404) return failure("unavailable", `${label} does not serve this text model (HTTP 404)${said}. Set another model, or use the offline writer.`, "writer");
  return failure("upstream", `${label} failed (HTTP ${status})${said}. Try again, or use the offline writer.`);
}

/** A call that never got an answer: the caller left, or the provider was too slow or unreachable. */
export function writerNetworkError(label: string, error: unknown, signal: AbortSignal): { ok: false; error: AppError } {
  if (signal.aborted) return failure("timeout", `${label} did not answer in time. Try again, or use the offline writer.`);
  const reason = error instanceof Error ? error.message : String(error);
  return failure("upstream", `Could not reach ${label} (${reason.slice(0, 200)}). Check the network, or use the offline writer.`);
}
