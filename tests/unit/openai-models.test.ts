import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { acceptsAnySize, OPENAI_IMAGE_MODELS } from "@/lib/server/providers/openai/openai-models";

/**
 * The OpenAI models offered are the ones the installed SDK lists as current (#23.3): read from
 * its own type declarations, so an SDK upgrade that adds, shuts down or resizes a model fails here
 * until the list is looked at again.
 */

const require = createRequire(import.meta.url);
/** The installed SDK's folder: up from its entry point to its package.json (the package exports no `./package.json`). */
function packageRoot(name: string): string {
  for (let dir = path.dirname(require.resolve(name)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (fs.existsSync(manifest) && (JSON.parse(fs.readFileSync(manifest, "utf8")) as { name?: string }).name === name) return dir;
  }
  throw new Error(`${name} is not installed`);
}
const sdkRoot = packageRoot("openai");
const sdkVersion = (JSON.parse(fs.readFileSync(path.join(sdkRoot, "package.json"), "utf8")) as { version: string }).version;
const types = fs.readFileSync(path.join(sdkRoot, "resources/images.d.ts"), "utf8");

const imageModels = [...(/export type ImageModel = ([^;]+);/.exec(types)?.[1] ?? "").matchAll(/'([^']+)'/g)].map((match) => match[1]!);
/** Models the SDK's docs say were shut down ("`gpt-image-1` was shut down on …"). */
const shutDown = [...new Set([...types.matchAll(/`([\w.-]+)` was shut down on/g)].map((match) => match[1]!))];
/** The free-size models, from `size`'s doc on image generation ("For `a`, `b`, and `c`, arbitrary resolutions are supported"). */
const sizeDoc = /The size of the generated images\. For ([\s\S]+?), arbitrary\s+\*?\s*resolutions are supported/.exec(types)?.[1] ?? "";
const freeSize = [...sizeDoc.matchAll(/`([\w.-]+)`/g)].map((match) => match[1]!);

describe(`the OpenAI models, against openai ${sdkVersion}'s types`, () => {
  it("is the SDK that needs Node.js 22 (7.x), whose types say what is current", () => {
    expect(Number(sdkVersion.split(".")[0])).toBeGreaterThanOrEqual(7);
    expect(imageModels.length).toBeGreaterThan(5);
    expect(shutDown).toContain("gpt-image-1");
  });

  it("offers every current GPT image model the SDK lists (dated snapshots aside), and none it says was shut down", () => {
    const current = imageModels.filter((model) => model.startsWith("gpt-image") || model.startsWith("chatgpt-image")).filter((model) => !shutDown.includes(model) && !/-\d{4}-\d{2}-\d{2}$/.test(model));
    expect([...OPENAI_IMAGE_MODELS].sort()).toEqual(current.sort());
    for (const model of shutDown) expect(OPENAI_IMAGE_MODELS as readonly string[]).not.toContain(model);
  });

  it("asks the models the SDK says take any size for the ad's own shape, and the others for a standard size", () => {
    expect(freeSize.length).toBeGreaterThan(0);
    for (const model of imageModels.filter((model) => model.startsWith("gpt-image"))) {
      expect(acceptsAnySize(model), model).toBe(freeSize.includes(model));
    }
  });
});
