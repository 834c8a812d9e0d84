import "server-only";
import type { CampaignBrief } from "@/lib/campaign";
import type { CopyAngle, CopyDraft, CopyWriterId, CopyWriterInfo } from "@/lib/copy-writing";
import type { CopyLine } from "@/lib/design";
import type { CopyLimits } from "@/lib/platform-copy";
import type { Outcome } from "../use-cases/app-error";

/** What a writer is asked for: the brief, and the lines it should write within their limits. */
export interface DraftRequest {
  brief: CampaignBrief;
  brandName: string;
  angle: CopyAngle;
  lines: readonly CopyLine[];
  limits: CopyLimits;
  /** "Facebook feed and LinkedIn": where the copy runs. */
  platforms: string;
  /** The lines as they are now; a new draft says something else. */
  current: CopyDraft;
  /** Which draft of the same request this is (the offline writer's template choice). */
  attempt: number;
  signal: AbortSignal;
  /** Lines of an earlier reply that did not fit, with why: the writer is asked once more. */
  corrections?: { reply: string; problems: string[] };
}

/** A writer's lines as it wrote them (they may be too long: the use case checks), and its raw reply for a correction. */
export interface Draft {
  lines: CopyDraft;
  reply: string;
}

/** One way to write ad copy: a hosted text model, or templates. */
export interface CopyWriter {
  readonly id: CopyWriterId;
  info(): CopyWriterInfo;
  draft(request: DraftRequest): Promise<Outcome<Draft>>;
}
