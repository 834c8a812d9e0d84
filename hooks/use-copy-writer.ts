"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import { describeFailure, draftCopy, listCopyWriters } from "@/lib/client/api";
import { writeCopyAnswerSchema, type CopyWriterInfo, type WriteCopyAnswer, type WriteCopyRequest } from "@/lib/copy-writing";
import type { CopyLine } from "@/lib/design";

export type CopyWriterState =
  | { status: "idle" }
  | { status: "writing"; line?: CopyLine }
  | { status: "written"; answer: WriteCopyAnswer }
  | { status: "error"; message: string; answer?: WriteCopyAnswer };

/**
 * Drafts from the copy writer: a whole draft, or one line again (which keeps the other lines of
 * the draft). Only the newest request counts; a draft asked for while one is on its way replaces it.
 */
export function useCopyWriter() {
  const [writers, setWriters] = useState<CopyWriterInfo[]>([]);
  const [state, setState] = useState<CopyWriterState>({ status: "idle" });
  const inFlight = useRef<AbortController | null>(null);
  const attempts = useRef(0);

  useEffect(() => {
    const controller = new AbortController();
    listCopyWriters(controller.signal)
      .then((found) => found && setWriters(found))
      .catch(() => undefined);
    return () => {
      controller.abort();
      inFlight.current?.abort();
    };
  }, []);

  const write = useCallback(async (request: Omit<WriteCopyRequest, "attempt">, previous?: WriteCopyAnswer) => {
    inFlight.current?.abort();
    const controller = new AbortController();
    inFlight.current = controller;
    const line = request.lines?.length === 1 ? request.lines[0] : undefined;
    setState({ status: "writing", ...(line ? { line } : {}) });
    try {
      const response = await draftCopy({ ...request, attempt: attempts.current++ }, controller.signal);
      if (!response.ok) {
        const message = await describeFailure(response);
        if (!controller.signal.aborted) setState({ status: "error", message, ...(previous ? { answer: previous } : {}) });
        return;
      }
      const answer = writeCopyAnswerSchema.parse(await response.json());
      if (controller.signal.aborted) return;
      // One line again: the rest of the draft stays as it was.
      const merged: WriteCopyAnswer = previous && request.lines ? { ...answer, lines: { ...previous.lines, ...answer.lines }, limits: { ...previous.limits, ...answer.limits } } : answer;
      setState({ status: "written", answer: merged });
    } catch (error) {
      if (!controller.signal.aborted) setState({ status: "error", message: `Could not reach the copy writer (${error instanceof Error ? error.message : String(error)}).`, ...(previous ? { answer: previous } : {}) });
    }
  }, []);

  return { writers, state, write };
}
