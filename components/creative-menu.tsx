"use client";

import { useEffect, useRef, type ReactNode } from "react";

/**
 * A small disclosure menu: the summary opens a panel of secondary actions. Closes on Escape (focus
 * back on its button), on a click elsewhere, and after an action inside it.
 */
export function CreativeMenu({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);

  useEffect(() => {
    const details = ref.current;
    if (!details) return;
    const close = (focus: boolean) => {
      if (!details.open) return;
      details.open = false;
      if (focus) details.querySelector("summary")?.focus();
    };
    const onPointer = (event: PointerEvent) => {
      if (!details.contains(event.target as Node)) close(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") close(true);
    };
    const onClick = (event: MouseEvent) => {
      // An action was taken (a link or a button, not the layout select or the prompt disclosure).
      const target = event.target as HTMLElement;
      if (target.closest(".menu__item")) close(false);
    };
    document.addEventListener("pointerdown", onPointer);
    details.addEventListener("keydown", onKey);
    details.addEventListener("click", onClick);
    return () => {
      document.removeEventListener("pointerdown", onPointer);
      details.removeEventListener("keydown", onKey);
      details.removeEventListener("click", onClick);
    };
  }, []);

  return (
    <details className="menu" ref={ref} data-testid="creative-menu">
      <summary className="button button--small" aria-label={label}>
        More
      </summary>
      <div className="menu__panel">{children}</div>
    </details>
  );
}
