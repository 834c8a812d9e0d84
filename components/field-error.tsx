/** The message under a field that needs fixing; the field points at it with aria-describedby. */
export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="field-error" data-testid="field-error">
      {message}
    </p>
  );
}

/** The attributes that tie a field to its hint and its error message. */
export function describedBy(fieldId: string, message: string | undefined, hintId?: string) {
  const ids = [hintId, message ? `${fieldId}-error` : undefined].filter(Boolean).join(" ");
  return { "aria-invalid": message ? true : undefined, "aria-describedby": ids || undefined };
}
