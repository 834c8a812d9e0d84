import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { normaliseLogo, sniffLogo, unsafeSvgReason } from "@/lib/server/branding/logo-image";

const svg = (body: string, attrs = "") => Buffer.from(`<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="200" height="80" ${attrs}>${body}</svg>`);

describe("logo upload rules", () => {
  it("trusts the bytes, not the name: sniffs PNG, JPEG, WebP and SVG", async () => {
    const base = sharp({ create: { width: 10, height: 10, channels: 3, background: "#123456" } });
    expect(sniffLogo(await base.clone().png().toBuffer())).toBe("png");
    expect(sniffLogo(await base.clone().jpeg().toBuffer())).toBe("jpeg");
    expect(sniffLogo(await base.clone().webp().toBuffer())).toBe("webp");
    expect(sniffLogo(svg('<rect width="10" height="10"/>'))).toBe("svg");
    expect(sniffLogo(Buffer.from("GIF89a..."))).toBeNull();
    expect(sniffLogo(Buffer.from("<html><body>hi</body></html>"))).toBeNull();
  });

  it("refuses SVGs with scripts, handlers, external references or entities", () => {
    expect(unsafeSvgReason('<svg><script>alert(1)</script></svg>')).toMatch(/scripts/);
    expect(unsafeSvgReason('<svg onload="alert(1)"></svg>')).toMatch(/event handlers/);
    expect(unsafeSvgReason('<svg><image href="file:///etc/passwd"/></svg>')).toMatch(/external/);
    expect(unsafeSvgReason('<svg><use xlink:href="https://example.com/a.svg#x"/></svg>')).toMatch(/external/);
    expect(unsafeSvgReason('<svg><rect style="fill:url(https://x/y)"/></svg>')).toMatch(/external/);
    expect(unsafeSvgReason('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg>&x;</svg>')).toMatch(/ENTITY|DOCTYPE/);
    expect(unsafeSvgReason('<svg><foreignObject><div/></foreignObject></svg>')).toMatch(/foreignObject/);
    expect(unsafeSvgReason('<svg><a href="javascript:alert(1)"><rect/></a></svg>')).toMatch(/javascript|external/);
    expect(unsafeSvgReason('<svg><defs><linearGradient id="g"/></defs><rect fill="url(#g)"/><use href="#g"/></svg>')).toBeNull();
  });

  it("normalises a good logo to a PNG and refuses the rest with a reason", async () => {
    const good = await normaliseLogo(svg('<rect width="200" height="80" fill="#ff00ff"/>'));
    expect(good.ok).toBe(true);
    if (good.ok) expect((await sharp(good.png).metadata()).format).toBe("png");
    const malformed = await normaliseLogo(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" <<<'));
    expect(malformed).toMatchObject({ ok: false, code: "invalid" });
    expect(await normaliseLogo(Buffer.from("plain text"))).toMatchObject({ ok: false, code: "unsupported-media" });
    expect(await normaliseLogo(Buffer.alloc(0))).toMatchObject({ ok: false, code: "invalid" });
    const truncated = (await sharp({ create: { width: 200, height: 200, channels: 3, background: "#abcdef" } }).png().toBuffer()).subarray(0, 60);
    expect(await normaliseLogo(truncated)).toMatchObject({ ok: false, code: "invalid" });
  });
});

/** Ten levels of ten copies of the level below: 1.8 KB that draws ten billion circles. */
function useBomb(levels = 10): Buffer {
  let defs = '<circle id="l0" r="1"/>';
  for (let level = 1; level <= levels; level++) {
    defs += `<g id="l${level}">${Array.from({ length: 10 }, () => `<use href="#l${level - 1}"/>`).join("")}</g>`;
  }
  return svg(`<defs>${defs}</defs><use href="#l${levels}"/>`);
}

describe("costly SVGs", () => {
  it("refuses nested copies by their structure, before drawing anything, and says what to do", async () => {
    const bomb = useBomb();
    expect(bomb.length).toBeLessThan(4096);
    const result = await normaliseLogo(bomb);
    expect(result).toEqual({ ok: false, code: "invalid", error: expect.stringMatching(/may not copy \(<use>\) an element that itself contains copies.*Export the logo again/) });
  });

  it("refuses too many elements or copies, and keeps a normal logo with a few copies", async () => {
    expect(unsafeSvgReason(`<svg>${'<rect width="1" height="1"/>'.repeat(5_001)}</svg>`)).toMatch(/at most 5000 elements/);
    expect(unsafeSvgReason(`<svg><defs><circle id="c" r="2"/></defs>${'<use href="#c"/>'.repeat(201)}</svg>`)).toMatch(/at most 200 <use> copies/);
    const logo = svg('<defs><path id="leaf" d="M0 0 L10 5 L0 10 Z"/></defs><g fill="#2a7"><use href="#leaf" x="10" y="10"/><use href="#leaf" x="30" y="10"/><use xlink:href="#leaf" x="50" y="10"/></g>', 'xmlns:xlink="http://www.w3.org/1999/xlink"');
    expect(unsafeSvgReason(logo.toString())).toBeNull();
    const result = await normaliseLogo(logo);
    expect(result.ok).toBe(true);
  });
});
