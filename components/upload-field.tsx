"use client";

import { useId, useState } from "react";
import { apiPaths } from "@/lib/api-paths";
import { uploadFile } from "@/lib/client/api";

export interface UploadKind {
  /** The field's label, with what it takes ("Logo (PNG, JPEG, WebP or SVG, up to 2 MB)"). */
  label: string;
  endpoint: string;
  /** The id the endpoint answers with: "logoId", "productId". */
  idField: string;
  maxBytes: number;
  tooLarge: string;
  accept: string;
  previewAlt: string;
  none: string;
  remove: string;
}

export const LOGO_UPLOAD: UploadKind = {
  label: "Logo (PNG, JPEG, WebP or SVG, up to 2 MB)",
  endpoint: apiPaths.logos,
  idField: "logoId",
  maxBytes: 2 * 1024 * 1024,
  tooLarge: "The logo is larger than 2 MB. Upload a smaller file.",
  accept: "image/png,image/jpeg,image/webp,image/svg+xml,.svg",
  previewAlt: "Current logo",
  none: "No logo: the brand name is used",
  remove: "Remove logo",
};

export const PRODUCT_UPLOAD: UploadKind = {
  label: "Product image (optional: a PNG/WebP cut-out, or a photo on a plain white background, up to 8 MB)",
  endpoint: apiPaths.products,
  idField: "productId",
  maxBytes: 8 * 1024 * 1024,
  tooLarge: "The product image is larger than 8 MB. Upload a smaller file.",
  accept: "image/png,image/jpeg,image/webp",
  previewAlt: "Current product image",
  none: "No product image: the picture alone sets the stage",
  remove: "Remove product image",
};

/** Uploads a picture as raw bytes; the server sniffs and validates it and answers with an id. */
export function UploadField({ kind, value, onChange }: { kind: UploadKind; value: string | null; onChange: (id: string | null) => void }) {
  const id = useId();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const upload = async (file: File | undefined) => {
    if (!file) return;
    setProblem(undefined);
    if (file.size > kind.maxBytes) {
      setProblem(kind.tooLarge);
      return;
    }
    setBusy(true);
    try {
      const response = await uploadFile(kind.endpoint, file);
      const body = (await response.json()) as Record<string, string | undefined>;
      const uploaded = body[kind.idField];
      if (!response.ok || !uploaded) throw new Error(body.error ?? `The server answered ${response.status}.`);
      onChange(uploaded);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : "Upload failed.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="field upload-field">
      <label htmlFor={`${id}-file`}>{kind.label}</label>
      <div className="upload-field__row">
        {value ? (
          // eslint-disable-next-line @next/next/no-img-element -- a stored, already small PNG
          <img className="upload-field__preview" src={apiPaths.image(value)} alt={kind.previewAlt} />
        ) : (
          <span className="upload-field__none">{kind.none}</span>
        )}
        <input
          id={`${id}-file`}
          type="file"
          accept={kind.accept}
          disabled={busy}
          aria-describedby={problem ? `${id}-problem` : undefined}
          aria-invalid={problem ? true : undefined}
          onChange={(event) => {
            void upload(event.target.files?.[0]);
            event.target.value = "";
          }}
        />
        {value && (
          <button type="button" className="button button--small" onClick={() => onChange(null)}>
            {kind.remove}
          </button>
        )}
      </div>
      {busy && <span className="field-note">Uploading…</span>}
      {problem && (
        <p id={`${id}-problem`} className="field-error" role="alert">
          {problem}
        </p>
      )}
    </div>
  );
}
