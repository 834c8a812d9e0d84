#!/usr/bin/env node
// `npx creatives …`: the command-line client (cli/creatives.ts), run from its TypeScript source
// with tsx, so it shares the app's schemas and event protocol without a build step.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { register } from "tsx/esm/api";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
register({ tsconfig: path.join(root, "tsconfig.json") });
await import("../cli/creatives.ts");
