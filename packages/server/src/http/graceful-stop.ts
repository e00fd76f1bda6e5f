import type { Server } from "node:http";

/**
 * Stops an HTTP server gracefully: no new connections, idle keep-alive connections closed, requests
 * in flight allowed to finish; after `deadlineMs` the connections still open are cut. Resolves when
 * the server has closed, saying whether it had to cut any.
 */
export function gracefulStop(server: Server, deadlineMs: number): Promise<{ forced: boolean }> {
  return new Promise((resolve) => {
    let forced = false;
    const timer = setTimeout(() => {
      forced = true;
      server.closeAllConnections();
    }, deadlineMs);
    timer.unref();
    // A keep-alive connection whose request finishes becomes idle: close those as they appear.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    sweep.unref();
    server.close(() => {
      clearTimeout(timer);
      clearInterval(sweep);
      resolve({ forced });
    });
    server.closeIdleConnections();
  });
}
