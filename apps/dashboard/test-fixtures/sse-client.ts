// Test helper: reads a Server-Sent Events stream through fetch (Node 20 has no EventSource).

/** One SSE message. */
export interface SseMessage {
  event: string;
  id?: string;
  data: string;
}

/** An open SSE connection. */
export interface SseClient {
  /** The next message, or a rejection after `timeoutMs` (default 5000). */
  next(timeoutMs?: number): Promise<SseMessage>;
  /** The next messages until `count` of event type `event` arrived; returns those. */
  collect(event: string, count: number, timeoutMs?: number): Promise<SseMessage[]>;
  close(): void;
}

/**
 * Opens `url` as an SSE stream with `headers` (e.g. Last-Event-ID).
 * @example const sse = await openSse(`${base}/api/stream`); await sse.next(); // hello
 */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  if (!response.ok || response.body === null) throw new Error(`SSE ${url}: HTTP ${response.status} ${await response.text()}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const ready: SseMessage[] = [];
  let buffer = '';
  const pump = async (deadline: number): Promise<void> => {
    while (ready.length === 0) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`SSE ${url}: no message within the deadline`);
      let timer: NodeJS.Timeout | undefined;
      const chunk = await Promise.race([
        reader.read(),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`SSE ${url}: no message within the deadline`)), left))),
      ]).finally(() => clearTimeout(timer));
      if (chunk.done) throw new Error(`SSE ${url}: the stream ended`);
      buffer += chunk.value;
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const message: SseMessage = { event: 'message', data: '' };
        const data: string[] = [];
        for (const line of frame.split('\n')) {
          if (line.startsWith(':') || line === '') continue;
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') message.event = value;
          else if (field === 'id') message.id = value;
          else if (field === 'data') data.push(value);
        }
        message.data = data.join('\n');
        if (data.length > 0) ready.push(message);
      }
    }
  };
  const next = async (timeoutMs = 5000): Promise<SseMessage> => {
    await pump(Date.now() + timeoutMs);
    return ready.shift()!;
  };
  return {
    next,
    async collect(event, count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      const out: SseMessage[] = [];
      while (out.length < count) {
        const message = await next(Math.max(1, deadline - Date.now()));
        if (message.event === event) out.push(message);
      }
      return out;
    },
    close: () => controller.abort(),
  };
}
