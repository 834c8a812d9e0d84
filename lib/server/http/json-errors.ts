import "server-only";
import type { z } from "zod";

export interface ApiErrorBody {
  error: string;
  issues?: { path: string; message: string }[];
}

export function jsonError(status: number, error: string, issues?: ApiErrorBody["issues"], headers?: HeadersInit): Response {
  const body: ApiErrorBody = issues?.length ? { error, issues } : { error };
  return Response.json(body, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

export function issuesFromZod(error: z.ZodError): NonNullable<ApiErrorBody["issues"]> {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.code === "unrecognized_keys" ? `remove unknown field(s): ${issue.keys.join(", ")}` : issue.message,
  }));
}
