import "server-only";
import { COPY_LINES, type CopyLine } from "@/lib/design";
import type { CopyDraft, CopyWriterId, WriteCopyAnswer, WriteCopyInput } from "@/lib/copy-writing";
import { copyLimits, platformNames, type CopyLimits } from "@/lib/platform-copy";
import type { CopyWriter, DraftRequest } from "../copywriting/copy-writer";
import { writeOffline } from "../copywriting/offline-copy-writer";
import { AppError, valueOf } from "./app-error";

export interface WriteCopyDeps {
  writers: Record<CopyWriterId, CopyWriter>;
  /** The whole draft, correction included, must be done by then. */
  timeoutMs: number;
  /** The caller hung up. */
  signal?: AbortSignal;
  /** Who writes when the request names nobody (COPY_WRITER); the first set-up one in PREFERENCE when absent. */
  defaultWriter?: CopyWriterId;
  /** A hosted writer's draft spends the provider budget: the caller's limit may refuse it (the offline writer is never asked). */
  admitHostedDraft?: () => Promise<void>;
}

/** The hosted writers in the order they are chosen when the request names none. */
const PREFERENCE: CopyWriterId[] = ["huggingface", "openai", "offline"];

/**
 * Drafts ad copy for a brief within every line's platform limit. A hosted writer whose line is
 * too long, empty or missing is asked once more with what was wrong; a line still wrong then is
 * taken from the offline writer, and the answer says so. A line is never cut.
 */
export async function writeCopy(deps: WriteCopyDeps, input: WriteCopyInput): Promise<WriteCopyAnswer> {
  const order = deps.defaultWriter ? [deps.defaultWriter, ...PREFERENCE] : PREFERENCE;
  const writer = input.writer ? deps.writers[input.writer] : order.map((id) => deps.writers[id]).find((candidate) => candidate.info().available)!;
  const info = writer.info();
  if (!info.available) throw new AppError("unavailable", `${info.reason ?? `${info.label} is not set up`}, or choose another writer.`, { field: "writer" });
  if (writer.id !== "offline") await deps.admitHostedDraft?.();

  const limits = copyLimits(input.formats);
  const lines = input.lines ? COPY_LINES.filter((line) => input.lines!.includes(line)) : [...COPY_LINES];
  const signal = AbortSignal.any([AbortSignal.timeout(deps.timeoutMs), ...(deps.signal ? [deps.signal] : [])]);
  const request: DraftRequest = {
    brief: input.brief,
    brandName: input.brandName,
    angle: input.angle,
    lines,
    limits,
    platforms: platformNames(input.formats),
    current: input.current ?? {},
    attempt: input.attempt,
    signal,
  };

  const first = valueOf(await writer.draft(request));
  let draft = first.lines;
  const notes: string[] = [];
  let problems = linesThatDoNotFit(draft, lines, limits);
  if (problems.length > 0 && writer.id !== "offline") {
    const second = valueOf(await writer.draft({ ...request, corrections: { reply: first.reply, problems: problems.map((problem) => problem.message) } }));
    draft = { ...draft, ...fitting(second.lines, lines, limits) };
    const fixed = problems.filter((problem) => fits(draft[problem.line], limits[problem.line]));
    if (fixed.length > 0) notes.push(`Asked ${info.label} again for ${fixed.map((problem) => problem.name).join(", ")}: ${fixed.map((problem) => problem.message).join("; ")}.`);
    problems = linesThatDoNotFit(draft, lines, limits);
  }
  if (problems.length > 0) {
    const fallback = writeOffline({ ...request, lines: problems.map((problem) => problem.line) });
    for (const problem of problems) {
      draft[problem.line] = fallback[problem.line];
      notes.push(`${info.label}'s ${problem.name.toLowerCase()} still did not fit (${problem.message}); this one is from the offline writer.`);
    }
  }
  const written: CopyDraft = {};
  for (const line of lines) written[line] = draft[line];
  return { writer: info, angle: input.angle, lines: written, notes, limits: limitsOf(lines, limits) };
}

const NAMES: Record<CopyLine, string> = { headline: "Headline", subline: "Subline", cta: "Call to action", primaryText: "Primary text", description: "Description" };

function fits(text: string | undefined, limit: number): boolean {
  return text !== undefined && text.trim().length > 0 && text.trim().length <= limit;
}

function linesThatDoNotFit(draft: CopyDraft, lines: readonly CopyLine[], limits: CopyLimits): { line: CopyLine; name: string; message: string }[] {
  return lines.flatMap((line) => {
    const text = draft[line]?.trim();
    if (fits(text, limits[line])) return [];
    const message = text === undefined ? `"${line}" was missing` : text.length === 0 ? `"${line}" was empty` : `"${line}" had ${text.length} characters, at most ${limits[line]}`;
    return [{ line, name: NAMES[line], message }];
  });
}

function fitting(draft: CopyDraft, lines: readonly CopyLine[], limits: CopyLimits): CopyDraft {
  return Object.fromEntries(lines.filter((line) => fits(draft[line], limits[line])).map((line) => [line, draft[line]!.trim()]));
}

function limitsOf(lines: readonly CopyLine[], limits: CopyLimits): Record<string, number> {
  return Object.fromEntries(lines.map((line) => [line, limits[line]]));
}
