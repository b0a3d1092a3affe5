/**
 * A throw-away npm registry for the release check: verdaccio (the pinned
 * devDependency, 6.8.0: later 6.x need Node 22) on a free loopback port, its
 * storage and config in a temporary folder, no uplinks (only what the check
 * publishes is there; everything else comes from the default registry through
 * an `@x:registry` scope line), stopped and deleted by `stop()`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repositoryRoot } from './workspace.js';

/** A running registry: its URL, a publish token and how to stop it. */
export interface LocalRegistry {
  url: string;
  token: string;
  folder: string;
  /** The `.npmrc` lines that send `@x/*` to this registry (and authenticate publishing). */
  npmrc: string;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function waitForPing(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited (${child.exitCode}):\n${log()}`);
    try {
      const response = await fetch(`${url}/-/ping`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`verdaccio did not answer on ${url} within 60 s:\n${log()}`);
}

/** Starts verdaccio and registers a user whose token publishes `@x/*`. */
export async function startRegistry(): Promise<LocalRegistry> {
  const folder = mkdtempSync(join(tmpdir(), 'x-registry-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // JSON is YAML: verdaccio reads this config as it is
  const config = {
    storage: join(folder, 'storage'),
    auth: { htpasswd: { file: join(folder, 'htpasswd'), max_users: 10 } },
    uplinks: {},
    packages: {
      '@x/*': { access: '$all', publish: '$authenticated', unpublish: '$authenticated' },
      '**': { access: '$all', publish: '$authenticated' },
    },
    web: { enable: false },
    middlewares: { audit: { enabled: false } },
    log: { type: 'stdout', format: 'pretty', level: 'warn' },
    publish: { allow_offline: true },
    max_body_size: '200mb',
  };
  const configPath = join(folder, 'config.yaml');
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const bin = join(repositoryRoot, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
  const child = spawn(
    process.execPath,
    [bin, '--config', configPath, '--listen', `127.0.0.1:${port}`],
    {
      cwd: folder,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout!.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr!.on('data', (chunk) => {
    output += chunk;
  });
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    rmSync(folder, { recursive: true, force: true });
  };
  try {
    await waitForPing(url, child, () => output);
    const user = 'release-check';
    const response = await fetch(`${url}/-/user/org.couchdb.user:${user}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: user, password: `pw-${port}-${Date.now()}` }),
    });
    const body = (await response.json()) as { token?: string; error?: string };
    if (!response.ok || !body.token)
      throw new Error(`verdaccio refused the user: ${response.status} ${JSON.stringify(body)}`);
    const host = `//127.0.0.1:${port}/`;
    return {
      url,
      token: body.token,
      folder,
      npmrc: `@x:registry=${url}/\n${host}:_authToken=${body.token}\n`,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
