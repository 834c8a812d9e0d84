import "server-only";
import { writeCopyRequestSchema } from "@/lib/copy-writing";
import { copyWriters, defaultCopyWriter, listCopyWriters } from "../../copywriting/copy-writers";
import { env } from "../../env";
import { writeCopy } from "../../use-cases/write-copy";
import { authorize } from "../authorize";
import { issuesFromZod, jsonError } from "../json-errors";
import { readJsonBody } from "../read-json-body";
import { answerForError } from "../use-case-errors";

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
  const written = await writeCopy({ writers: copyWriters(), defaultWriter: defaultCopyWriter(), timeoutMs: env().COPY_TIMEOUT_MS, signal: request.signal }, parsed.data);
  if (!written.ok) return answerForError(written.error);
  return Response.json(written.value, { headers: NO_STORE });
}
