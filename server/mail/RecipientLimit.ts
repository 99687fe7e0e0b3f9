// At most `max` mails of one kind to one recipient per window: someone asking for password
// resets from many addresses (each under the per-address limit) cannot flood a person's inbox.
// Per process; the request is answered the same either way, only the mail is skipped.
export class RecipientLimit {
  private readonly sent = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
  ) {}

  /** Counts a mail to `recipient` if the limit allows it; false: do not send. */
  admit(recipient: string, now = Date.now()): boolean {
    const recent = (this.sent.get(recipient) ?? []).filter((at) => now - at < this.windowMs);
    if (recent.length >= this.max) {
      this.sent.set(recipient, recent);
      return false;
    }
    recent.push(now);
    this.sent.set(recipient, recent);
    // Forget recipients whose window passed, so the map stays as small as the recent traffic.
    if (this.sent.size > 10_000) {
      for (const [key, times] of this.sent) if (times.every((at) => now - at >= this.windowMs)) this.sent.delete(key);
    }
    return true;
  }
}
