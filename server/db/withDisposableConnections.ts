// Wraps a driver-adapter factory so every connection the schema engine opens is closed
// afterwards. The engine does not reliably dispose what it connects, and adapter-pg's
// connect() creates a new pg.Pool each time, which would keep the process alive.
import type {
  SqlDriverAdapter,
  SqlDriverAdapterFactory,
  SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";

/** A migration-aware view of `factory` plus `disposeAll()` for the connections it handed out. */
export function withDisposableConnections(
  factory: SqlMigrationAwareDriverAdapterFactory | SqlDriverAdapterFactory,
  wrap: (adapter: SqlDriverAdapter) => SqlDriverAdapter = (adapter) => adapter,
): {
  factory: SqlMigrationAwareDriverAdapterFactory;
  disposeAll(): Promise<void>;
} {
  const open = new Set<() => Promise<void>>();
  const track = (raw: SqlDriverAdapter): SqlDriverAdapter => {
    const adapter = wrap(raw);
    let disposed: Promise<void> | undefined;
    // Dispose at most once: adapter-pg's dispose ends its pool, and ending twice throws.
    const dispose = () => {
      open.delete(dispose);
      disposed ??= adapter.dispose();
      return disposed;
    };
    open.add(dispose);
    return new Proxy(adapter, {
      get(target, key, receiver) {
        if (key === "dispose") return dispose;
        const value = Reflect.get(target, key, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  };
  const wrapped: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => track(await factory.connect()),
    connectToShadowDb: async () => {
      if (!("connectToShadowDb" in factory)) {
        throw new Error(`${factory.adapterName} cannot create a shadow database (not needed to apply migrations)`);
      }
      return track(await factory.connectToShadowDb());
    },
  };
  return {
    factory: wrapped,
    async disposeAll() {
      await Promise.allSettled([...open].map((dispose) => dispose()));
      open.clear();
    },
  };
}
