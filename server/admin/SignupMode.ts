// Who may create an account: "open" (anyone who reaches the server) or "invite" (only people
// with an invitation link). SIGNUP sets it until an admin chooses in /settings; that choice is
// stored in the settings table, so every instance follows it (each re-reads it at most once
// per CACHE_MS: a change reaches the other instances within that time).
import type { PrismaClient } from "../db/Database.ts";

export type SignupModeValue = "open" | "invite";
export const SIGNUP_MODES: readonly SignupModeValue[] = ["open", "invite"];

const SETTING_KEY = "signup_mode";
const CACHE_MS = 2_000;

export function isSignupMode(value: unknown): value is SignupModeValue {
  return value === "open" || value === "invite";
}

/** What sign-up and account visibility ask: the mode now. */
export interface SignupModeSource {
  current(): Promise<SignupModeValue>;
}

export class SignupMode implements SignupModeSource {
  private cached: { value: SignupModeValue; at: number } | null = null;

  constructor(
    private readonly prisma: PrismaClient,
    /** SIGNUP from the environment: the mode until an admin stores one. */
    private readonly fallback: SignupModeValue,
  ) {}

  async current(): Promise<SignupModeValue> {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.value;
    const row = await this.prisma.setting.findUnique({ where: { key: SETTING_KEY } });
    const value = isSignupMode(row?.value) ? row.value : this.fallback;
    this.cached = { value, at: Date.now() };
    return value;
  }

  async set(value: SignupModeValue): Promise<void> {
    await this.prisma.setting.upsert({ where: { key: SETTING_KEY }, create: { key: SETTING_KEY, value }, update: { value } });
    this.cached = { value, at: Date.now() };
  }
}
