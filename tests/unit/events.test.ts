import { createParser, type EventSourceMessage } from "eventsource-parser";
import { describe, expect, it } from "vitest";
import { decodeEvent, encodeComment, encodeEvent, type GenerationEvent } from "@/lib/events";

const image: GenerationEvent = {
  event: "image",
  data: {
    index: 2,
    url: "/api/images/0123456789abcdef0123456789abcdef.png",
    thumbUrl: "/api/images/fedcba9876543210fedcba9876543210.webp",
    rawUrl: "/api/images/00112233445566778899aabbccddeeff.png",
    format: "instagram-square",
    layout: "bottom-band",
    width: 1024,
    height: 1024,
    seed: 99,
    prompt: "line one\nline two: \"quoted\" — ünïcödé",
    provider: "builtin",
    elapsedMs: 12,
    mimeType: "image/png",
    bytes: 2048,
    placeholder: "data:image/webp;base64,AAAA",
    readyAt: 1_700_000_000_000,
  },
};

function parseAll(wire: string): { messages: EventSourceMessage[]; comments: string[] } {
  const messages: EventSourceMessage[] = [];
  const comments: string[] = [];
  const parser = createParser({ onEvent: (m) => messages.push(m), onComment: (c) => comments.push(c) });
  parser.feed(wire);
  return { messages, comments };
}

describe("SSE encoding", () => {
  it("frames an event with id, name and a single data line, even when the payload has newlines", () => {
    const frame = encodeEvent(7, image);
    expect(frame).toMatch(/^id: 7\nevent: image\ndata: [^\n]+\n\n$/);
  });

  it("round-trips through eventsource-parser into the same typed event", () => {
    const { messages } = parseAll(encodeEvent(1, image) + encodeEvent(2, { event: "done", data: { jobId: "j", status: "completed", succeeded: 1, failed: 0, cancelled: 0, elapsedMs: 5 } }));
    expect(messages.map((m) => m.id)).toEqual(["1", "2"]);
    expect(decodeEvent(messages[0]?.event, messages[0]?.data ?? "")).toEqual(image);
    expect(decodeEvent(messages[1]?.event, messages[1]?.data ?? "")?.event).toBe("done");
  });

  it("still parses when the frame arrives split into arbitrary chunks", () => {
    const wire = encodeComment("ping") + encodeEvent(1, image);
    const messages: EventSourceMessage[] = [];
    const parser = createParser({ onEvent: (m) => messages.push(m) });
    for (let i = 0; i < wire.length; i += 5) parser.feed(wire.slice(i, i + 5));
    expect(messages).toHaveLength(1);
    expect(decodeEvent(messages[0]?.event, messages[0]?.data ?? "")).toEqual(image);
  });

  it("writes heartbeats as comments that carry no event", () => {
    const { messages, comments } = parseAll(encodeComment("ping"));
    expect(messages).toHaveLength(0);
    expect(comments.map((c) => c.trim())).toEqual(["ping"]);
    expect(encodeComment("a\nb")).toBe(": a b\n\n");
  });

  it("rejects unknown event names and payloads that do not match the schema", () => {
    expect(decodeEvent("surprise", "{}")).toBeNull();
    expect(decodeEvent("image", "not json")).toBeNull();
    expect(decodeEvent("image", JSON.stringify({ index: "two" }))).toBeNull();
    expect(decodeEvent(undefined, "{}")).toBeNull();
  });
});
