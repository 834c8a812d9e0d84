import "server-only";
import { InferenceClient, InferenceClientProviderApiError, InferenceClientHubApiError, InferenceClientProviderOutputError, InferenceClientRoutingError } from "@huggingface/inference";
import type { CopyWriterInfo } from "@/lib/copy-writing";
import { failure, type Outcome } from "../use-cases/app-error";
import { installHfOriginRewrite } from "../providers/huggingface/hf-origins";
import type { CopyWriter, Draft, DraftRequest } from "./copy-writer";
import { copyPrompt, readCopyReply, SYSTEM_PROMPT, correctionPrompt } from "./copy-prompt";
import { writerHttpError, writerNetworkError } from "./writer-errors";

export interface HuggingFaceWriterConfig {
  token?: string;
  model: string;
  hubUrl: string;
  routerUrl: string;
  /** An organization that pays for the calls (HF_BILL_TO). */
  billTo?: string;
}

const LABEL = "Hugging Face";
const FIX = {
  credentials: "Check HF_TOKEN: a fine-grained token needs \"Make calls to Inference Providers\" (huggingface.co/settings/tokens).",
  credits: "Add credits at huggingface.co/settings/billing, or use the offline writer.",
};

/**
 * Copy from a chat model through Hugging Face Inference Providers with the official client:
 * `chatCompletion` with `provider: "auto"` goes to the router's OpenAI-compatible
 * `/v1/chat/completions`, which picks a provider that serves the model. The same HF_TOKEN as the
 * pictures.
 */
export class HuggingFaceCopyWriter implements CopyWriter {
  readonly id = "huggingface" as const;
  private readonly client: InferenceClient;

  constructor(private readonly config: HuggingFaceWriterConfig) {
    installHfOriginRewrite({ hub: config.hubUrl, router: config.routerUrl });
    this.client = new InferenceClient(config.token ?? "", config.billTo ? { billTo: config.billTo } : {});
  }

  info(): CopyWriterInfo {
    const available = Boolean(this.config.token);
    return { id: this.id, label: LABEL, model: this.config.model, available, ...(available ? {} : { reason: "Set HF_TOKEN in .env.local to write copy with Hugging Face" }) };
  }

  async draft(request: DraftRequest): Promise<Outcome<Draft>> {
    if (!this.config.token) return failure("unavailable", "Set HF_TOKEN in .env.local to write copy with Hugging Face.", "writer");
    const messages = [
      { role: "system" as const, content: SYSTEM_PROMPT },
      { role: "user" as const, content: copyPrompt(request) },
      ...(request.corrections ? [{ role: "assistant" as const, content: request.corrections.reply }, { role: "user" as const, content: correctionPrompt(request.corrections.problems) }] : []),
    ];
    try {
      const answer = await this.client.chatCompletion(
        { model: this.config.model, provider: "auto", messages, max_tokens: 700, temperature: 0.8 },
        { signal: request.signal, retry_on_error: false },
      );
      const reply = answer.choices[0]?.message?.content ?? "";
      const lines = readCopyReply(reply, request.lines);
      if (!lines) return failure("upstream", `${LABEL}'s ${this.config.model} did not answer with the lines asked for. Try again, or use the offline writer.`);
      return { ok: true, value: { lines, reply } };
    } catch (error) {
      if (error instanceof InferenceClientProviderApiError || error instanceof InferenceClientHubApiError) {
        return writerHttpError(LABEL, error.httpResponse.status, describeBody(error.httpResponse.body), FIX);
      }
      if (error instanceof InferenceClientProviderOutputError) return failure("upstream", `${LABEL} answered something that is not a chat completion. Try again, or use the offline writer.`);
      if (error instanceof InferenceClientRoutingError) return failure("unavailable", `${LABEL} cannot route ${this.config.model}: ${error.message}`, "writer");
      return writerNetworkError(LABEL, error, request.signal);
    }
  }
}

function describeBody(body: unknown): string {
  if (typeof body === "string") return body;
  if (body && typeof body === "object") {
    const error = (body as { error?: unknown }).error;
    if (typeof error === "string") return error;
    if (error && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") return (error as { message: string }).message;
  }
  return "";
}
