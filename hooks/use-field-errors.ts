"use client";

import { useCallback, useState } from "react";
import type { z } from "zod";

/**
 * Field-by-field errors from the same zod schema the API uses. A field shows its message once it
 * was changed, and every field shows its message after a submit that failed, so nobody is scolded
 * before typing. Keys are dotted paths ("productName", "design.headline").
 */
export function useFieldErrors(schema: z.ZodType, value: unknown) {
  const [touched, setTouched] = useState<ReadonlySet<string>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);
  const parsed = schema.safeParse(value);
  const all: Record<string, string> = {};
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const path = issue.path.map(String).join(".");
      all[path] ??= issue.message;
    }
  }
  const errors = submitted ? all : Object.fromEntries(Object.entries(all).filter(([path]) => touched.has(path)));

  const touch = useCallback((path: string) => {
    setTouched((current) => (current.has(path) ? current : new Set([...current, path])));
  }, []);

  /** After a failed submit: shows every message; returns the paths in error, in the schema's order. */
  const revealAll = () => {
    setSubmitted(true);
    return Object.keys(all);
  };

  return { errors, touch, revealAll };
}
