import "server-only";
import { writeCopyRequestSchema } from "@/lib/copy-writing";
import { listCopyWriters } from "../../copywriting/copy-writers";
import { appContext } from "../../app-context";
import { env } from "../../env";
import { AppError } from "../../use-cases/app-error";
import { writeCopy } from "../../use-cases/write-copy";
import { callerOf } from "../authorize";
import { answer } from "../error-response";
import { clientKey } from "../rate-limit";
import { readParsedBody } from "../read-json-body";

const NO_STORE = { "Cache-Control": "no-store" };

/** GET /api/copy: the copy writers, and which can be used here. */
export function listWriters(request: Request): Promise<Response> {
  return answer(async () => {
    await callerOf(request);
    const { copy } = appContext();
    return Response.json({ writers: listCopyWriters(copy.writers, copy.preferred) }, { headers: NO_STORE });
  });
}

/** POST /api/copy: headline, subline, CTA, primary text and description drafted for a brief, each within its platforms' limit. */
export function draftCopy(request: Request): Promise<Response> {
  return answer(async () => {
    const caller = await callerOf(request);
    const input = await readParsedBody(request, 16 * 1024, writeCopyRequestSchema, "The request is not valid: fix the fields listed in issues.");
    const { copy, runLimiter } = appContext();
    const admitHostedDraft = async (): Promise<void> => {
      const limit = env().COPY_DRAFTS_PER_MINUTE;
      if (limit === 0) return;
      // Per token for scripts; per workspace and address for people (one office shares a workspace, not a key).
      const key = caller.tokenId ? `copy:token:${caller.tokenId}` : `copy:${caller.workspaceId}:${clientKey(request)}`;
      const taken = await runLimiter.take(key, limit, Date.now());
      if (taken.ok) return;
      throw new AppError("rate-limited", `Too many drafts from a hosted copy writer: at most ${limit} a minute. Try again in ${taken.retryAfterSeconds} s, or choose the offline templates.`, { field: "writer", retryAfterSeconds: taken.retryAfterSeconds });
    };
    const written = await writeCopy({ writers: copy.writers, timeoutMs: copy.timeoutMs, signal: request.signal, admitHostedDraft, ...(copy.preferred ? { defaultWriter: copy.preferred } : {}) }, input);
    return Response.json(written, { headers: NO_STORE });
  });
}
