import { type Config, loadConfig } from "../config.ts";
import { type Store, openStore } from "../db/database.ts";

/** What every command needs: configuration and, opened lazily, the store (closed by `main`). */
export interface CliContext {
  config: Readonly<Config>;
  store(): Promise<Store>;
  out: NodeJS.WriteStream;
  err: NodeJS.WriteStream;
  close(): Promise<void>;
}

export function createCliContext(): CliContext {
  const config = loadConfig();
  let opened: Promise<Store> | undefined;
  return {
    config,
    store: () => {
      opened ??= openStore(config);
      return opened;
    },
    out: process.stdout,
    err: process.stderr,
    close: async () => {
      // A store that failed to open was reported already: nothing to close, nothing to throw again.
      const store = opened ? await opened.catch(() => null) : null;
      await store?.close();
    },
  };
}

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.out.write(`${JSON.stringify(value, null, 2)}\n`);
}
