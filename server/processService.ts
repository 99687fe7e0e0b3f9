// One service of this process (the collab server's rooms, the comments service, ...) that route
// handlers must reach. Kept on globalThis: Next bundles route handlers apart from the custom
// server (server/main.ts), so a module-level variable would be a different one in each bundle,
// while globalThis is the process's own.

export interface ProcessService<T> {
  /** Registers the process's instance (startServer does, once it exists). */
  set(instance: T): void;
  /** Forgets `instance` if it is the registered one (a closing server). */
  clear(instance: T): void;
  /** The registered instance; throws when none is (a bug, not input). */
  get(): T;
}

/** `what` names the service in the error a missing one gives. */
export function processService<T>(key: string, what: string): ProcessService<T> {
  const slot = Symbol.for(`collab-editor.${key}`);
  const global = globalThis as unknown as Record<symbol, T | undefined>;
  return {
    set(instance) {
      global[slot] = instance;
    },
    clear(instance) {
      if (global[slot] === instance) global[slot] = undefined;
    },
    get() {
      const instance = global[slot];
      if (instance === undefined) throw new Error(`${what} not initialised: start the app with server/main.ts`);
      return instance;
    },
  };
}
