/**
 * Serving the app on a TCP port with @hono/node-server. The page is bundled before
 * the port opens, so a page that does not compile fails the start, not the first visit.
 */
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { serve } from '@hono/node-server';
import type { DemoPipeline } from '../pipeline/types.js';
import { type AppOptions, createApp } from './app.js';
import { errorResponseBody } from './http-error.js';
import { webAssets } from './web-assets.js';

/**
 * Answers what Node's HTTP parser refuses before the app sees it (headers too large,
 * a malformed request line) with the same JSON error shape, then closes the socket.
 */
function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
  const [status, name, message] = tooLarge
    ? [
        '431 Request Header Fields Too Large',
        'HeadersTooLarge',
        'the request line and headers are too large',
      ]
    : ['400 Bad Request', 'BadRequest', 'the request could not be parsed as HTTP/1.1'];
  const body = JSON.stringify(errorResponseBody(name, message));
  socket.end(
    `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** Options of {@link startServer}. */
export interface StartOptions extends AppOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /**
   * Largest request line plus headers Node's parser accepts (its own default is 16 KiB),
   * so that an over-long `GET /api/search?q=` reaches the app and gets its JSON 413.
   * @default 131072
   */
  maxHeaderBytes?: number;
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
  const { port = 0, host = '127.0.0.1', maxHeaderBytes = 128 * 1024, ...appOptions } = options;
  const app = createApp(pipeline, appOptions);
  await webAssets();
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: app.fetch, port, hostname: host, serverOptions: { maxHeaderSize: maxHeaderBytes } },
      (info: AddressInfo) => {
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
      },
    );
    server.once('error', reject);
    server.on('clientError', answerClientError);
  });
}
