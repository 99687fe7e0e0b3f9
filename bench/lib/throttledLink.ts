// A TCP link with a bandwidth limit, in both directions, for measuring what a slow network
// does to a join: bytes are forwarded no faster than `bitsPerSecond` (a serialisation delay
// per chunk, like a bottleneck link with no loss and no added latency). Counts the bytes
// each way, which is what "bytes on the wire" means here (TCP payload: HTTP upgrade, frame
// headers and payloads).
import net from "node:net";

export class ThrottledLink {
  /** Bytes forwarded server → client and client → server since the last reset. */
  readonly bytes = { down: 0, up: 0 };
  bitsPerSecond = Infinity;
  private readonly server: net.Server;

  private constructor(private readonly targetPort: number) {
    this.server = net.createServer((client) => this.connect(client));
  }

  static async start(targetPort: number): Promise<ThrottledLink> {
    const link = new ThrottledLink(targetPort);
    await new Promise<void>((resolve) => link.server.listen(0, "127.0.0.1", resolve));
    return link;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  resetCounts(): void {
    this.bytes.down = 0;
    this.bytes.up = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private connect(client: net.Socket): void {
    const upstream = net.connect(this.targetPort, "127.0.0.1");
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    this.pipe(client, upstream, "up");
    this.pipe(upstream, client, "down");
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("close", end).on("error", end);
    upstream.on("close", end).on("error", end);
  }

  /** Forwards `from` → `to`, each chunk leaving once the link has finished the previous ones. */
  private pipe(from: net.Socket, to: net.Socket, direction: "up" | "down"): void {
    let linkFreeAt = 0;
    let queued = 0;
    from.on("data", (chunk: Buffer) => {
      this.bytes[direction] += chunk.length;
      if (this.bitsPerSecond === Infinity) {
        to.write(chunk);
        return;
      }
      const now = performance.now();
      linkFreeAt = Math.max(linkFreeAt, now) + (chunk.length * 8 * 1000) / this.bitsPerSecond;
      queued++;
      if (queued > 64) from.pause();
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
        if (--queued <= 16) from.resume();
      }, linkFreeAt - now);
    });
  }
}
