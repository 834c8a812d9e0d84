import "server-only";
import OpenAI, { APIError } from "openai";
import type { CopyWriterInfo } from "@/lib/copy-writing";
import type { CopyLine } from "@/lib/design";
import { failure, type Outcome } from "../use-cases/app-error";
import type { CopyWriter, Draft, DraftRequest } from "./copy-writer";
import { copyPrompt, correctionPrompt, readCopyReply, SYSTEM_PROMPT } from "./copy-prompt";
import { writerHttpError, writerNetworkError } from "./writer-errors";

export interface OpenAiWriterConfig {
  apiKey?: string;
  model: string;
  baseUrl: string;
}

const LABEL = "OpenAI";
const FIX = { credentials: "Check OPENAI_API_KEY (platform.openai.com/api-keys).", credits: "Add credits at platform.openai.com/settings/organization/billing." };

/**
 * Copy from OpenAI's Responses API with the official SDK, with Structured Outputs: the reply is
 * held to a JSON schema of exactly the asked lines. The limits are in the prompt (a schema's
 * `maxLength` is not enforced by strict mode), and the use case checks them.
 */
export class OpenAiCopyWriter implements CopyWriter {
  readonly id = "openai" as const;
  private readonly client?: OpenAI;

  constructor(private readonly config: OpenAiWriterConfig) {
    if (config.apiKey) this.client = new OpenAI({ apiKey: config.apiKey, baseURL: config.baseUrl, maxRetries: 0, timeout: 60_000 });
  }

  info(): CopyWriterInfo {
    const available = Boolean(this.client);
    return { id: this.id, label: LABEL, model: this.config.model, available, ...(available ? {} : { reason: "Set OPENAI_API_KEY in .env.local to write copy with OpenAI" }) };
  }

  async draft(request: DraftRequest): Promise<Outcome<Draft>> {
    if (!this.client) return failure("unavailable", "Set OPENAI_API_KEY in .env.local to write copy with OpenAI.", "writer");
    const input = [
      { role: "user" as const, content: copyPrompt(request) },
      ...(request.corrections ? [{ role: "assistant" as const, content: request.corrections.reply }, { role: "user" as const, content: correctionPrompt(request.corrections.problems) }] : []),
    ];
    try {
      const response = await this.client.responses.create(
        {
          model: this.config.model,
          instructions: SYSTEM_PROMPT,
          input,
          max_output_tokens: 2000,
          text: { format: { type: "json_schema", name: "ad_copy", strict: true, schema: linesSchema(request.lines) } },
        },
        { signal: request.signal },
      );
      const reply = response.output_text;
      const lines = readCopyReply(reply, request.lines);
      if (!lines) return failure("upstream", `${LABEL}'s ${this.config.model} did not answer with the lines asked for${response.status === "incomplete" ? " (its answer was cut short)" : ""}. Try again, or use the offline writer.`);
      return { ok: true, value: { lines, reply } };
    } catch (error) {
      if (error instanceof APIError && typeof error.status === "number") return writerHttpError(LABEL, error.status, error.message, FIX);
      return writerNetworkError(LABEL, error, request.signal);
    }
  }
}

function linesSchema(lines: readonly CopyLine[]) {
  return {
    type: "object",
    properties: Object.fromEntries(lines.map((line) => [line, { type: "string" }])),
    required: [...lines],
    additionalProperties: false,
  };
}
