/**
 * Serving the app on a TCP port with @hono/node-server. The page is bundled before
 * the port opens, so a page that does not compile fails the start, not the first visit.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { DemoPipeline } from '../pipeline/types.js';
import { type AppOptions, createApp } from './app.js';
import { webAssets } from './web-assets.js';

/** Options of {@link startServer}. */
export interface StartOptions extends AppOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
}

/** A running server. */
export interface RunningServer {
  /** `http://host:port` (no trailing slash). */
  url: string;
  /** Stops accepting connections, ends open ones and resolves once the port is closed. */
  close(): Promise<void>;
}

/**
 * Starts the HTTP server.
 *
 * @param pipeline - What answers the requests.
 * @param options - Port, host and the {@link AppOptions}.
 * @returns The server's URL and a `close`.
 * @throws When the port cannot be opened or the page does not bundle.
 * @example
 * ```ts
 * const server = await startServer(pipeline, { port: 0 });
 * console.log(server.url); // http://127.0.0.1:40123
 * await server.close();
 * ```
 */
export async function startServer(
  pipeline: DemoPipeline,
  options: StartOptions = {},
): Promise<RunningServer> {
  const { port = 0, host = '127.0.0.1', ...appOptions } = options;
  const app = createApp(pipeline, appOptions);
  await webAssets();
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: host }, (info: AddressInfo) => {
      server.off('error', reject);
      const shownHost = info.family === 'IPv6' ? `[${info.address}]` : info.address;
      resolve({
        url: `http://${shownHost}:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => {
            server.close((error) => (error ? fail(error) : done()));
            if ('closeAllConnections' in server) server.closeAllConnections();
          }),
      });
    });
    server.once('error', reject);
  });
}
