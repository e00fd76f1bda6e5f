import { serve } from "@hono/node-server";
import { AppError } from "@safecity/core";
import type { Command } from "commander";
import { createApp } from "../http/app.tsx";
import type { Server } from "node:http";
import { childProcessRunner, ImportJobs } from "../services/import-job.service.ts";
import { createLogger } from "../log.ts";
import { gracefulStop } from "../http/graceful-stop.ts";
import { countUsers } from "../services/user.service.ts";
import { OidcClient, oidcSettingsFromEnv } from "../services/oidc.service.ts";
import { FIRST_ADMIN_COMMAND } from "../http/auth.routes.tsx";
import { clientIpResolver } from "../http/client-ip.ts";
import { SetupCode } from "../services/account.service.ts";
import type { CliContext } from "./context.ts";

interface ServeOptions {
  port?: string;
  host?: string;
  secureCookies?: boolean;
}

export function registerServeCommand(program: Command, ctx: () => CliContext): void {
  program
    .command("serve")
    .description("run the web application (default http://127.0.0.1:3000; PORT and HOST also set them)")
    .option("--port <n>", "port to listen on; 0 picks a free one (default: PORT or 3000)")
    .option("--host <h>", "address to listen on (default: HOST or 127.0.0.1)")
    .option("--secure-cookies", "always mark cookies Secure (behind a proxy that terminates https); default: only on https requests")
    .action(async (o: ServeOptions) => {
      const c = ctx();
      const port = o.port === undefined ? c.config.port : Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError("input.invalid", `--port must be a port number; got \`${o.port}\``);
      const host = o.host ?? c.config.host;
      const oidcSettings = oidcSettingsFromEnv(process.env);
      const log = createLogger({ level: c.config.logLevel });
      const store = await c.store();
      // Jobs live in the database: what a stopped server left unfinished is marked interrupted now,
      // and upload folders that belong to no interrupted job are removed.
      const imports = new ImportJobs({ store, runner: childProcessRunner(process.env), uploadDir: c.config.uploadDir, limitBytes: c.config.uploadLimitBytes });
      const recovered = await imports.recover();
      if (recovered.interruptedJobs.length || recovered.interruptedFiles) {
        log.warn({ jobs: recovered.interruptedJobs, files: recovered.interruptedFiles }, "imports interrupted by the last stop: resume or discard them on the Data page");
      }
      if (recovered.removedFolders.length) log.info({ folders: recovered.removedFolders.length }, "removed leftover upload folders");
      let draining = false;
      // First run: a one-time code for creating the first administrator in the browser (/setup). It is
      // kept only in this process's memory and printed once below, never logged anywhere else.
      const setup = (await countUsers(store)) === 0 ? new SetupCode() : null;
      const accounts = c.config.accounts;
      const app = createApp({
        setup,
        sessionTtlMs: accounts.sessionTtlMs,
        sessionIdleMs: accounts.sessionIdleMs,
        reauthMs: accounts.reauthMs,
        publicUrl: accounts.publicUrl,
        clientIp: clientIpResolver(accounts.clientIpHeader),
        store,
        tiles: c.config.tiles,
        publishDir: c.config.publishDir,
        oidc: oidcSettings ? new OidcClient(oidcSettings) : null,
        secureCookies: o.secureCookies ? true : "auto",
        // Uploads are imported by a child process on the same store, away from this event loop.
        imports,
        ops: { log, draining: () => draining },
      });
      await new Promise<void>((resolve, reject) => {
        const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
          const shown = info.address.includes(":") ? `[${info.address}]` : info.address;
          c.out.write(`Safe City listening on http://${shown}:${info.port} (${store.description})\n`);
          if (oidcSettings) c.out.write(`OpenID Connect sign-in via ${oidcSettings.issuer}\n`);
          if (setup) {
            const origin = accounts.publicUrl ?? `http://${shown}:${info.port}`;
            c.out.write(`No accounts yet. Create the first administrator at ${origin}/setup with the one-time setup code ${setup.code}\n`);
            c.out.write(`  (or on the server: ${FIRST_ADMIN_COMMAND})\n`);
          }
        });
        server.on("error", reject);
        // Graceful shutdown: /readyz answers 503, no new connections, requests in flight finish (cut
        // after SAFECITY_SHUTDOWN_TIMEOUT_S), then the running import stops and its job is marked
        // interrupted (resumable after a restart); `main` closes the store. A second signal exits at once.
        const stop = (signal: NodeJS.Signals) => {
          if (draining) {
            log.warn({ signal }, "second signal: exiting now");
            process.exit(130);
          }
          draining = true;
          log.info({ signal, deadlineMs: c.config.shutdownTimeoutMs }, "shutting down: finishing requests in flight");
          void (async () => {
            const http = await gracefulStop(server as Server, c.config.shutdownTimeoutMs);
            await imports.stop();
            log.info({ forced: http.forced }, http.forced ? "stopped; requests still running at the deadline were cut" : "stopped");
            resolve();
          })().catch(reject);
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
    });
}
