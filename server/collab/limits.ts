// Limits that keep one client (or one address) from hurting everyone else. Every limit has
// a safe default, can be set through a validated env var (server/config.ts), and when hit
// costs only the offender: a named close code or a refused upgrade.

export interface CollabLimits {
  /** An update that would grow a document past this is refused (close 4413), never half-applied. */
  maxDocumentBytes: number;
  /** Token bucket per connection: sustained frames per second, and the burst allowed. */
  messagesPerSecond: number;
  messageBurst: number;
  /** Token bucket per connection: sustained bytes per second, and the burst allowed. */
  bytesPerSecond: number;
  byteBurst: number;
  /** Largest awareness update accepted (close 4413). */
  maxAwarenessBytes: number;
  /** Awareness updates applied per connection per second; more are merged (latest wins). */
  awarenessPerSecond: number;
  /** Open WebSockets per client address (upgrade refused with 429 beyond). */
  maxConnectionsPerIp: number;
  /** New WebSockets per client address per minute (429 beyond). */
  newConnectionsPerIpPerMinute: number;
  /** Clients on one document (upgrade refused with 503 beyond). */
  maxClientsPerDocument: number;
  /** Documents loaded in this process (upgrade for another refused with 503). */
  maxLoadedDocuments: number;
  /** A socket that sends nothing for this long after opening is closed (4408). */
  firstMessageTimeoutMs: number;
}

export const DEFAULT_LIMITS: CollabLimits = {
  maxDocumentBytes: 64 * 1024 * 1024,
  messagesPerSecond: 200,
  messageBurst: 1_000,
  bytesPerSecond: 2 * 1024 * 1024,
  byteBurst: 32 * 1024 * 1024,
  maxAwarenessBytes: 64 * 1024,
  awarenessPerSecond: 20,
  maxConnectionsPerIp: 100,
  newConnectionsPerIpPerMinute: 300,
  maxClientsPerDocument: 500,
  maxLoadedDocuments: 10_000,
  firstMessageTimeoutMs: 15_000,
};
