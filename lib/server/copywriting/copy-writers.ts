import "server-only";
import type { CopyWriterId, CopyWriterInfo } from "@/lib/copy-writing";
import type { AppEnv } from "../env";
import type { CopyWriter } from "./copy-writer";
import { HuggingFaceCopyWriter } from "./hugging-face-copy-writer";
import { OfflineCopyWriter } from "./offline-copy-writer";
import { OpenAiCopyWriter } from "./openai-copy-writer";

/** Every copy writer, built once from the validated configuration. */
export function createCopyWriters(config: AppEnv): Record<CopyWriterId, CopyWriter> {
  return {
    huggingface: new HuggingFaceCopyWriter({ token: config.HF_TOKEN, model: config.HF_TEXT_MODEL, hubUrl: config.HF_HUB_URL, routerUrl: config.HF_ROUTER_URL, billTo: config.HF_BILL_TO }),
    openai: new OpenAiCopyWriter({ apiKey: config.OPENAI_API_KEY, model: config.OPENAI_TEXT_MODEL, baseUrl: config.OPENAI_BASE_URL }),
    offline: new OfflineCopyWriter(),
  };
}

/** COPY_WRITER as the use case takes it: undefined for auto. */
export function preferredCopyWriter(config: Pick<AppEnv, "COPY_WRITER">): CopyWriterId | undefined {
  return config.COPY_WRITER === "auto" ? undefined : config.COPY_WRITER;
}

/** Every writer; the preferred one (COPY_WRITER) first, so the form starts with it. */
export function listCopyWriters(writers: Record<CopyWriterId, CopyWriter>, preferred: CopyWriterId | undefined): CopyWriterInfo[] {
  const all = Object.values(writers).map((writer) => writer.info());
  return preferred ? [...all.filter((writer) => writer.id === preferred), ...all.filter((writer) => writer.id !== preferred)] : all;
}
