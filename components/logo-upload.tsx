"use client";

import { useId, useState } from "react";

interface LogoUploadProps {
  logoId: string | null;
  onChange: (logoId: string | null) => void;
}

/** Uploads a logo as raw bytes; the server sniffs and validates it and answers with an id. */
export function LogoUpload({ logoId, onChange }: LogoUploadProps) {
  const id = useId();
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);

  const upload = async (file: File | undefined) => {
    if (!file) return;
    setProblem(undefined);
    if (file.size > 2 * 1024 * 1024) {
      setProblem("The logo is larger than 2 MB. Upload a smaller file.");
      return;
    }
    setBusy(true);
    try {
      const response = await fetch("/api/logos", { method: "POST", headers: { "Content-Type": "application/octet-stream" }, body: file });
      const body = (await response.json()) as { logoId?: string; error?: string };
      if (!response.ok || !body.logoId) throw new Error(body.error ?? `The server answered ${response.status}.`);
      onChange(body.logoId);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : "Upload failed.");
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="field logo-upload">
      <label htmlFor={`${id}-file`}>Logo (PNG, JPEG, WebP or SVG, up to 2 MB)</label>
      <div className="logo-upload__row">
        {logoId ? (
          // eslint-disable-next-line @next/next/no-img-element -- a stored, already small PNG
          <img className="logo-upload__preview" src={`/api/images/${logoId}`} alt="Current logo" />
        ) : (
          <span className="logo-upload__none">No logo: the brand name is used</span>
        )}
        <input
          id={`${id}-file`}
          type="file"
          accept="image/png,image/jpeg,image/webp,image/svg+xml,.svg"
          disabled={busy}
          onChange={(event) => {
            void upload(event.target.files?.[0]);
            event.target.value = "";
          }}
        />
        {logoId && (
          <button type="button" className="button button--small" onClick={() => onChange(null)}>
            Remove logo
          </button>
        )}
      </div>
      {busy && <span className="field-note">Uploading…</span>}
      {problem && (
        <span className="field-error" role="alert">
          {problem}
        </span>
      )}
    </div>
  );
}
