import "server-only";
import { writeCopyRequestSchema } from "@/lib/copy-writing";
import { copyWriters, defaultCopyWriter, listCopyWriters } from "../../copywriting/copy-writers";
import { env } from "../../env";
import { writeCopy } from "../../use-cases/write-copy";
import { authorize } from "../authorize";
import { issuesFromZod, jsonError } from "../json-errors";
import { readJsonBody } from "../read-json-body";
import { answerForError } from "../use-case-errors";
import { appContext } from "../../app-context";
import type { UseCaseError } from "../../use-cases/use-case-error";
import { clientKey } from "../rate-limit";

const NO_STORE = { "Cache-Control": "no-store" };

/** GET /api/copy: the copy writers, and which can be used here. */
export async function listWriters(request: Request): Promise<Response> {
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  return Response.json({ writers: listCopyWriters() }, { headers: NO_STORE });
}

/** POST /api/copy: headline, subline, CTA, primary text and description drafted for a brief, each within its platforms' limit. */
export async function draftCopy(request: Request): Promise<Response> {
  const authorized = await authorize(request);
  if (!authorized.ok) return authorized.response;
  const body = await readJsonBody(request, 16 * 1024);
  if (!body.ok) return body.response;
  const parsed = writeCopyRequestSchema.safeParse(body.value);
  if (!parsed.success) return jsonError(400, "The request is not valid: fix the fields listed in issues.", issuesFromZod(parsed.error));
  const { caller } = authorized;
  const admitHostedDraft = async (): Promise<UseCaseError | null> => {
    const limit = env().COPY_DRAFTS_PER_MINUTE;
    if (limit === 0) return null;
    // Per token for scripts; per workspace and address for people (one office shares a workspace, not a key).
    const key = caller.tokenId ? `copy:token:${caller.tokenId}` : `copy:${caller.workspaceId}:${clientKey(request)}`;
    const taken = await appContext().runLimiter.take(key, limit, Date.now());
    if (taken.ok) return null;
    return { code: "rate-limited", message: `Too many drafts from a hosted copy writer: at most ${limit} a minute. Try again in ${taken.retryAfterSeconds} s, or choose the offline templates.`, path: "writer", retryAfterSeconds: taken.retryAfterSeconds };
  };
  const written = await writeCopy({ writers: copyWriters(), defaultWriter: defaultCopyWriter(), timeoutMs: env().COPY_TIMEOUT_MS, signal: request.signal, admitHostedDraft }, parsed.data);
  if (!written.ok) return answerForError(written.error);
  return Response.json(written.value, { headers: NO_STORE });
}
