"use client";

/** The first tab stop: straight to Generate, past the twenty fields of the brief. */
export function SkipToGenerate() {
  return (
    <a
      className="skip-link"
      href="#generate"
      onClick={(event) => {
        const target = document.getElementById("generate");
        if (!target) return;
        event.preventDefault();
        target.focus();
        target.scrollIntoView({ block: "nearest" });
      }}
    >
      Skip to Generate
    </a>
  );
}
