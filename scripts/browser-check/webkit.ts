/**
 * WebKit for the browser check: WebKitGTK's MiniBrowser (Debian's
 * webkit2gtk-driver package: JavaScriptCore, the engine of Safari) driven by
 * WebKitWebDriver over plain W3C WebDriver HTTP, on an Xvfb display.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

/** The MiniBrowser that WebKitWebDriver launches, where Debian puts it. */
export function findMiniBrowser(): string | null {
  for (const arch of ['x86_64-linux-gnu', 'aarch64-linux-gnu']) {
    const path = `/usr/lib/${arch}/webkit2gtk-4.1/MiniBrowser`;
    if (existsSync(path)) return path;
  }
  return null;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A WebKit session: navigate and evaluate, then close. */
export interface WebKitSession {
  version: string;
  /** Loads `url` and polls `script` (a function body) until it returns non-null. */
  load(url: string, script: string, timeoutMs: number): Promise<unknown>;
  close(): Promise<void>;
}

/**
 * Starts WebKitWebDriver (under `xvfb-run`) and a MiniBrowser session.
 * @param driver - the WebKitWebDriver executable
 * @param miniBrowser - the MiniBrowser executable
 * @returns the session
 */
export async function startWebKit(driver: string, miniBrowser: string): Promise<WebKitSession> {
  const port = await freePort();
  const child: ChildProcess = spawn('xvfb-run', ['-a', driver, `--port=${port}`], {
    detached: true,
    stdio: 'ignore',
  });
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as { value: Record<string, unknown> };
    if (!response.ok) throw new Error(`WebDriver ${method} ${path}: ${JSON.stringify(json.value)}`);
    return json.value;
  };
  try {
    for (let i = 0; ; i++) {
      try {
        await call('GET', '/status');
        break;
      } catch (error) {
        if (i > 100) throw error;
        await sleep(200);
      }
    }
    const session = await call('POST', '/session', {
      capabilities: {
        alwaysMatch: {
          'webkitgtk:browserOptions': { binary: miniBrowser, args: ['--automation'] },
        },
      },
    });
    const id = session.sessionId as string;
    const capabilities = session.capabilities as { browserName: string; browserVersion: string };
    return {
      version: `WebKitGTK/${capabilities.browserVersion}`,
      async load(url, script, timeoutMs) {
        await call('POST', `/session/${id}/url`, { url });
        const deadline = Date.now() + timeoutMs;
        for (;;) {
          const value = await call('POST', `/session/${id}/execute/sync`, { script, args: [] });
          if (value !== null) return value;
          if (Date.now() > deadline)
            throw new Error(`WebKit: no result from ${url} in ${timeoutMs} ms`);
          await sleep(250);
        }
      },
      async close() {
        await call('DELETE', `/session/${id}`).catch(() => {});
        stop();
      },
    };
  } catch (error) {
    stop();
    throw error;
  }
}
