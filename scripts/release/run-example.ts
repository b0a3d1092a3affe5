/**
 * Runs a README example with tsx, as a user would (`npx tsx example.ts`), in
 * a given folder: the repository (sources, through the `@x/source` export
 * condition) or a fresh project that installed the package from a registry.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './workspace.js';

/** What one run printed, how it ended and how long it took. */
export interface ExampleRun {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  seconds: number;
  file: string;
}

/** The example's file name for its language: `example.ts` or `example.mjs`. */
export function exampleFileName(language: string): string {
  return language === 'mjs' || language === 'js' || language === 'javascript'
    ? 'example.mjs'
    : 'example.ts';
}

/**
 * Writes `code` to `folder/example.ts` (or `.mjs`) and runs it with the
 * repository's tsx, from `folder`: imports resolve from `folder`'s
 * node_modules (or the repository's, for a folder inside it).
 */
export function runExample(
  folder: string,
  code: string,
  language: string,
  options: { conditions?: string[]; timeoutMs?: number } = {},
): Promise<ExampleRun> {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, exampleFileName(language));
  writeFileSync(file, code);
  const tsx = join(repositoryRoot, 'node_modules', '.bin', 'tsx');
  const args = [...(options.conditions ?? []).map((c) => `--conditions=${c}`), file];
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      tsx,
      args,
      {
        cwd: folder,
        timeout: options.timeoutMs ?? 180_000,
        maxBuffer: 16 * 1024 * 1024,
        // no colours, and no inherited NODE_OPTIONS conditions from a test runner
        env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', NODE_OPTIONS: '' },
      },
      (error, stdout, stderr) => {
        resolve({
          stdout,
          stderr,
          exitCode: error ? ((error as { code?: number }).code ?? 1) : 0,
          seconds: (performance.now() - started) / 1000,
          file,
        });
      },
    );
  });
}
