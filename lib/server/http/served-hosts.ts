import "server-only";
import { isIP } from "node:net";

/**
 * Which `Host` a server with accounts off answers to. Such a server trusts whoever reaches it, which
 * is only this machine, unless a page on the web reaches it through DNS rebinding: its own name,
 * re-pointed at 127.0.0.1, makes the browser send that name as Host and treat the answers as its
 * own. A rebinding needs a name, so IP addresses are always fine, and so are localhost and its
 * subdomains (they never leave the machine) and the name in APP_URL (chosen by whoever runs it).
 * Jupyter and Vite's dev server check the same.
 */
export function isServedHost(hostHeader: string | null, appUrl: string | undefined): boolean {
  // A browser always sends Host; a request without one did not come from a page.
  if (hostHeader === null || hostHeader === "") return true;
  const name = hostnameOf(hostHeader);
  if (name === undefined) return false;
  if (isIP(name) !== 0) return true;
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  return appUrl !== undefined && name === new URL(appUrl).hostname.replace(/^\[|\]$/g, "").toLowerCase();
}

/** The name or address of a Host header, without its port, brackets or a trailing dot; undefined when malformed. */
function hostnameOf(hostHeader: string): string | undefined {
  try {
    return new URL(`http://${hostHeader.trim()}`).hostname.replace(/^\[|\]$/g, "").replace(/\.$/, "").toLowerCase();
  } catch {
    return undefined;
  }
}
