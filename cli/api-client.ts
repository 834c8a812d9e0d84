import { z } from "zod";
import { apiPaths } from "../lib/api-paths";
import { uploadedLogoSchema, uploadedProductSchema } from "../lib/api-answers";
import { jobListSchema, publicJobSchema, type JobList, type PublicJob } from "../lib/job-views";

/** Where the server is and how to prove who is asking: flags first, then the environment. */
export interface Connection {
  server: string;
  token?: string;
}

/** A failure the person can act on: the message says what to do. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CliError";
  }
}

/**
 * The API as the command-line client uses it: typed answers (the server's own schemas), every
 * error turned into a sentence, the token sent as Authorization: Bearer and never printed.
 */
export class ApiClient {
  constructor(readonly connection: Connection) {}

  url(pathname: string): string {
    return new URL(pathname, `${this.connection.server}/`).toString();
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.connection.token ? { authorization: `Bearer ${this.connection.token}` } : {}), ...extra };
  }

  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(this.url(pathname), { ...init, headers: this.headers(init.headers as Record<string, string> | undefined) });
    } catch (error) {
      throw new CliError(`Cannot reach ${this.connection.server}: ${describeNetworkError(error)}. Is the server running? Set it with --server or CREATIVES_SERVER.`);
    }
    if (!response.ok) throw await this.failure(response);
    return response;
  }

  /** The error answer as a sentence, with the fields to fix when the server listed them. */
  async failure(response: Response): Promise<CliError> {
    const body = (await response.json().catch(() => null)) as { error?: string; message?: string; issues?: { path: string; message: string }[] } | null;
    const said = body?.error ?? body?.message ?? `${response.status} ${response.statusText}`;
    const issues = body?.issues?.map((issue) => `\n  ${issue.path}: ${issue.message}`).join("") ?? "";
    if (response.status === 401) {
      const hint = this.connection.token ? "" : " Make a token on the Workspace page and pass it with --token or CREATIVES_TOKEN.";
      return new CliError(`The server refused the credentials: ${said}${hint}`);
    }
    return new CliError(`${said}${issues}`);
  }

  async job(jobId: string): Promise<PublicJob> {
    return parseAnswer(publicJobSchema, await (await this.request(apiPaths.job(jobId))).json(), "job");
  }

  /** Uploads a logo file; its id goes in the design as logoId. */
  async uploadLogo(bytes: Buffer): Promise<string> {
    const answer = await this.request(apiPaths.logos, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: new Uint8Array(bytes) });
    return parseAnswer(uploadedLogoSchema, await answer.json(), "logo upload").logoId;
  }

  /** Uploads a product photo (keyed out of a plain backdrop by the server); its id goes in the design as productId. */
  async uploadProduct(bytes: Buffer): Promise<string> {
    const answer = await this.request(apiPaths.products, { method: "POST", headers: { "content-type": "application/octet-stream" }, body: new Uint8Array(bytes) });
    return parseAnswer(uploadedProductSchema, await answer.json(), "product upload").productId;
  }

  async jobs(limit: number, cursor?: string): Promise<JobList> {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
    return parseAnswer(jobListSchema, await (await this.request(`${apiPaths.jobs}?${query}`)).json(), "history");
  }
}

function parseAnswer<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new CliError(`The server's ${what} answer is not what this client understands (is the client older than the server?): ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

export function describeNetworkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}
