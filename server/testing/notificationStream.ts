// A client of GET /api/notifications/stream (server/notifications/notificationStream.ts) over
// real HTTP, as the bell's EventSource reads it: each Server-Sent Event parsed as it arrives.
export interface StreamEvent {
  event: string;
  data: unknown;
}

export interface NotificationStreamClient {
  /** The HTTP status the stream was answered with. */
  status: number;
  /** The next event named `event` not yet taken (waiting for it, up to `timeoutMs`). */
  next(event: string, timeoutMs?: number): Promise<StreamEvent>;
  close(): void;
}

export async function openNotificationStream(baseUrl: string, cookie: string): Promise<NotificationStreamClient> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/notifications/stream`, { headers: { cookie, accept: "text/event-stream" }, signal: controller.signal });
  const events: StreamEvent[] = [];
  const waiters = new Set<() => void>();
  if (response.ok && response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = "";
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf("\n\n")) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event && data !== undefined) events.push({ event, data: JSON.parse(data) });
            for (const wake of waiters) wake();
          }
        }
      } catch {
        // aborted by close()
      }
    })();
  } else {
    await response.body?.cancel();
  }
  return {
    status: response.status,
    async next(event, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = events.findIndex((candidate) => candidate.event === event);
        if (index >= 0) return events.splice(index, 1)[0];
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no "${event}" event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
    close: () => controller.abort(),
  };
}
