import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * No import cycles in the app's code, `import type` included (#24). ESLint's import/no-cycle
 * (in `npm run lint`) skips type-only imports; a type cycle still ties two modules together, so
 * this walks every import itself.
 */

const ROOT = path.resolve(__dirname, "../..");
const FOLDERS = ["lib", "app", "components", "hooks", "cli"];

function sourceFiles(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name)) found.push(full);
    }
  };
  for (const folder of FOLDERS) if (fs.existsSync(path.join(ROOT, folder))) walk(path.join(ROOT, folder));
  return found;
}

function importGraph(files: string[]): Map<string, string[]> {
  const known = new Set(files);
  const resolve = (from: string, spec: string): string | undefined => {
    const base = spec.startsWith("@/") ? path.join(ROOT, spec.slice(2)) : spec.startsWith(".") ? path.resolve(path.dirname(from), spec) : undefined;
    if (!base) return undefined;
    return [`${base}.ts`, `${base}.tsx`, path.join(base, "index.ts")].find((candidate) => known.has(candidate));
  };
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    const targets = [...text.matchAll(/(?:import|export)\s+(?:type\s+)?(?:[^;]*?from\s+)?["']([^"']+)["']/g)].map((match) => resolve(file, match[1]!)).filter((target): target is string => Boolean(target));
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Each cycle once, as the files on it (Tarjan's strongly connected components larger than one). */
function cycles(graph: Map<string, string[]>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let next = 0;
  const visit = (node: string) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(node, Math.min(low.get(node)!, index.get(target)!));
    }
    if (low.get(node) === index.get(node)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(path.relative(ROOT, member));
      } while (member !== node);
      if (component.length > 1) found.push(component);
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe("the app's imports", () => {
  it("form no cycle, type-only imports included", () => {
    expect(cycles(importGraph(sourceFiles()))).toEqual([]);
  });

  it("would name a cycle if there were one", () => {
    const a = path.join(ROOT, "lib/a.ts");
    const b = path.join(ROOT, "lib/b.ts");
    expect(cycles(new Map([[a, [b]], [b, [a]]]))).toEqual([["lib/b.ts", "lib/a.ts"]]);
  });
});
