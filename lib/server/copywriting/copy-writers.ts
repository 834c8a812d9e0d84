import "server-only";
import type { CopyWriterId, CopyWriterInfo } from "@/lib/copy-writing";
import { env, type AppEnv } from "../env";
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

// One set per process even though Next gives each route its own copy of this module.
const globalKey = Symbol.for("ad-creative-generator.copy-writers");
type GlobalWithWriters = typeof globalThis & { [globalKey]?: Record<CopyWriterId, CopyWriter> };

export function copyWriters(): Record<CopyWriterId, CopyWriter> {
  const holder = globalThis as GlobalWithWriters;
  holder[globalKey] ??= createCopyWriters(env());
  return holder[globalKey];
}

/** COPY_WRITER as the use case takes it: undefined for auto. */
export function defaultCopyWriter(): CopyWriterId | undefined {
  const chosen = env().COPY_WRITER;
  return chosen === "auto" ? undefined : chosen;
}

/** Every writer; the one COPY_WRITER names first, so the form starts with it. */
export function listCopyWriters(): CopyWriterInfo[] {
  const preferred = defaultCopyWriter();
  const writers = Object.values(copyWriters()).map((writer) => writer.info());
  return preferred ? [...writers.filter((writer) => writer.id === preferred), ...writers.filter((writer) => writer.id !== preferred)] : writers;
}
