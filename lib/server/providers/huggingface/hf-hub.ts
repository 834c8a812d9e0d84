import "server-only";
import { HubApiError, modelInfo, whoAmI } from "@huggingface/hub";
import type { AccountCheck } from "@/lib/campaign";
import { networkReason } from "../network-error";
import type { ProviderMappingEntry } from "./hf-routes";

/** How long a model's provider mapping is trusted; a failed look-up is retried sooner. */
export const MAPPING_TTL_MS = 5 * 60_000;
const FAILED_LOOKUP_TTL_MS = 10_000;

/** The permission a fine-grained token needs for Inference Providers ("Make calls to Inference Providers"). */
export const INFERENCE_PERMISSION = "inference.serverless.write";

export type MappingLookup =
  | { ok: true; mapping: ProviderMappingEntry[] }
  | { ok: false; /** not-found: fix the model; the others: fix the token or the network */ problem: "not-found" | "token-refused" | "unreachable"; message: string };

interface CachedLookup {
  lookup: MappingLookup;
  expiresAt: number;
}

/**
 * The Hub's side of Hugging Face, through the official `@huggingface/hub` client: which Inference
 * Providers serve a model (cached with a short TTL) and who a token belongs to.
 */
export class HfHub {
  private readonly mappings = new Map<string, CachedLookup>();
  private readonly inFlight = new Map<string, Promise<MappingLookup>>();

  constructor(
    private readonly config: { hubUrl: string; token?: string },
    private readonly now: () => number = Date.now,
  ) {}

  /** The cached mapping of `model`, or undefined when it was never looked up or has expired. */
  cached(model: string): MappingLookup | undefined {
    const entry = this.mappings.get(model);
    return entry && entry.expiresAt > this.now() ? entry.lookup : undefined;
  }

  /** The mapping of `model`, from the cache while fresh; one request at a time per model. */
  async mapping(model: string, options: { fresh?: boolean } = {}): Promise<MappingLookup> {
    if (!options.fresh) {
      const cached = this.cached(model);
      if (cached) return cached;
    }
    const running = this.inFlight.get(model);
    if (running) return running;
    const lookup = this.lookUp(model).finally(() => this.inFlight.delete(model));
    this.inFlight.set(model, lookup);
    return lookup;
  }

  private async lookUp(model: string): Promise<MappingLookup> {
    let lookup: MappingLookup;
    try {
      const info = await modelInfo({
        name: model,
        hubUrl: this.config.hubUrl,
        additionalFields: ["inferenceProviderMapping"],
        ...(this.config.token ? { accessToken: this.config.token } : {}),
        fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(10_000) }),
      });
      const mapping = (info.inferenceProviderMapping ?? []) as ProviderMappingEntry[];
      lookup = { ok: true, mapping: mapping.map(({ provider, providerId, status, task }) => ({ provider, providerId, status, task })) };
    } catch (error) {
      const status = error instanceof HubApiError ? error.statusCode : undefined;
      if (status === 401 && this.config.token) {
        // The Hub refuses every call that carries a bad token, public models included.
        lookup = { ok: false, problem: "token-refused", message: "The Hugging Face Hub refused HF_TOKEN (401): it is wrong, expired or revoked. Create a new one at huggingface.co/settings/tokens." };
      } else if (status === 404 || status === 401) {
        // Without a token, the Hub answers 401 for a repository that does not exist or is private.
        lookup = { ok: false, problem: "not-found", message: `${model} is not a model on the Hugging Face Hub (or it is private).` };
      } else {
        lookup = { ok: false, problem: "unreachable", message: `Could not ask the Hugging Face Hub which providers serve ${model}${describe(error)}.` };
      }
    }
    const ttl = lookup.ok || lookup.problem === "not-found" ? MAPPING_TTL_MS : FAILED_LOOKUP_TTL_MS;
    this.mappings.set(model, { lookup, expiresAt: this.now() + ttl });
    return lookup;
  }

  /** Who the token belongs to and whether it may call Inference Providers. Never echoes the token. */
  async whoami(): Promise<AccountCheck> {
    const checkedAt = this.now();
    if (!this.config.token) return { ok: false, message: "No HF_TOKEN is set.", checkedAt };
    try {
      const me = (await whoAmI({
        hubUrl: this.config.hubUrl,
        accessToken: this.config.token,
        fetch: (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(10_000) }),
      })) as unknown as WhoAmIAnswer;
      const name = typeof me.name === "string" ? me.name : "an unnamed account";
      if (!mayCallInferenceProviders(me)) {
        return {
          ok: false,
          message: `Signed in as ${name}, but this token may not call Inference Providers: edit it at huggingface.co/settings/tokens and tick "Make calls to Inference Providers".`,
          checkedAt,
        };
      }
      return { ok: true, message: `Signed in as ${name}`, checkedAt };
    } catch (error) {
      if (error instanceof HubApiError && error.statusCode === 401) {
        return { ok: false, message: "Hugging Face refused HF_TOKEN (401): it is wrong, expired or revoked. Create a new one at huggingface.co/settings/tokens.", checkedAt };
      }
      if (error instanceof HubApiError) return { ok: false, message: `The Hugging Face Hub could not check HF_TOKEN (HTTP ${error.statusCode}).`, checkedAt };
      return { ok: false, message: `Could not reach the Hugging Face Hub to check HF_TOKEN${describe(error)}.`, checkedAt };
    }
  }
}

interface WhoAmIAnswer {
  name?: unknown;
  auth?: { accessToken?: { role?: unknown; fineGrained?: { global?: unknown; scoped?: unknown } } };
}

/** Read and write tokens may; a fine-grained one needs the inference permission, globally or for the user. */
export function mayCallInferenceProviders(me: WhoAmIAnswer): boolean {
  const token = me.auth?.accessToken;
  if (!token || token.role !== "fineGrained") return true;
  const global = Array.isArray(token.fineGrained?.global) ? token.fineGrained.global : [];
  if (global.includes(INFERENCE_PERMISSION)) return true;
  const scoped = Array.isArray(token.fineGrained?.scoped) ? (token.fineGrained.scoped as { entity?: { type?: string }; permissions?: unknown }[]) : [];
  return scoped.some((entry) => entry.entity?.type === "user" && Array.isArray(entry.permissions) && entry.permissions.includes(INFERENCE_PERMISSION));
}

function describe(error: unknown): string {
  return error instanceof HubApiError ? ` (HTTP ${error.statusCode})` : `: ${networkReason(error)}`;
}
