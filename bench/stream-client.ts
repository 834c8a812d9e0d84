/** Reads an SSE response and records when each event arrived and how many bytes the stream carried. */
export interface TimedEvent {
  id?: string;
  event?: string;
  data: string;
  at: number;
  frameBytes: number;
}

export async function readTimed(response: Response): Promise<{ events: TimedEvent[]; totalBytes: number }> {
  const events: TimedEvent[] = [];
  let totalBytes = 0;
  let buffer = "";
  const decoder = new TextDecoder();
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    totalBytes += value.byteLength;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (frame.startsWith(":")) continue;
      const event: TimedEvent = { data: "", at: performance.now(), frameBytes: Buffer.byteLength(frame) + 2 };
      for (const line of frame.split("\n")) {
        const colon = line.indexOf(":");
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, "");
        if (field === "id") event.id = value;
        else if (field === "event") event.event = value;
        else if (field === "data") event.data += value;
      }
      events.push(event);
    }
  }
  return { events, totalBytes };
}
