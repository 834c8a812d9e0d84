import type { GenerationEventData, GenerationEventName } from "../../lib/events";
import { collectSse, isSseComment, postSse, sseJson, type SseMessage } from "./sse-client";

/** The default campaign as a test sends it: every field explicit, like a real client. */
export const BRIEF = {
  productName: "Aurora Cold Brew",
  productDescription: "Small-batch cold brew coffee in a recyclable glass bottle",
  targetAudience: "Young urban professionals",
  style: "photographic",
  tone: "energetic",
  format: "instagram-square",
} as const;

/** A navy brand kit with copy, as the form sends it (no logo): the design of most run tests. */
export const BRAND_DESIGN = {
  brandName: "Aurora",
  primaryColor: "#1F2A44",
  secondaryColor: "#F2B84B",
  headline: "Cold brew, done right",
  subline: "Small-batch and naturally sweet.",
  cta: "Shop now",
  layout: "bottom-band",
  logoId: null,
};

/** The same kit with the ads manager's lines and a landing page (for CSV and UTM tests). */
export const CAMPAIGN_DESIGN = {
  ...BRAND_DESIGN,
  primaryText: "Cold brew that travels with you.",
  description: "Free delivery over $30",
  landingUrl: "https://aurora.example/cold-brew",
};

export interface Run {
  response: Response;
  messages: SseMessage[];
  comments: string[];
  of<N extends GenerationEventName>(name: N): (GenerationEventData<N> & { receivedAt: number; id?: string })[];
}

/** Posts a generation request and reads its stream to the end. */
export async function generate(appUrl: string, body: Record<string, unknown>, init: { signal?: AbortSignal; headers?: Record<string, string> } = {}): Promise<Run> {
  const response = await postSse(`${appUrl}/api/generate-images`, { ...BRIEF, ...body }, init);
  if (!response.ok) throw new Error(`generate answered ${response.status}: ${await response.text()}`);
  const items = await collectSse(response);
  const messages = items.filter((item): item is SseMessage => !isSseComment(item));
  const comments = items.filter(isSseComment).map((item) => item.comment);
  return {
    response,
    messages,
    comments,
    of: (name) =>
      messages
        .filter((message) => message.event === name)
        .map((message) => ({ ...sseJson<GenerationEventData<typeof name>>(message), receivedAt: message.receivedAt, id: message.id })),
  };
}
