import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { normaliseLogo, sniffLogo, unsafeSvgReason } from "@/lib/server/branding/logos";

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
    expect(malformed).toMatchObject({ ok: false, status: 400 });
    expect(await normaliseLogo(Buffer.from("plain text"))).toMatchObject({ ok: false, status: 415 });
    expect(await normaliseLogo(Buffer.alloc(0))).toMatchObject({ ok: false, status: 400 });
    const truncated = (await sharp({ create: { width: 200, height: 200, channels: 3, background: "#abcdef" } }).png().toBuffer()).subarray(0, 60);
    expect(await normaliseLogo(truncated)).toMatchObject({ ok: false, status: 400 });
  });
});
