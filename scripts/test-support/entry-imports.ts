/**
 * Test support: the third-party packages an entry point imports, following
 * its imports through @x/* workspace packages (their sources, by the
 * `@x/source` condition). Used to check that `@x/<pkg>/test` entries need no
 * test runner (issue 19: a README example importing one failed without vitest).
 */
import { build } from 'esbuild';

/**
 * Bundles `entry` in memory and records every bare import outside @x/*.
 * @param entry - absolute path of the entry's source file
 * @returns the sorted package specifiers it reaches (`vitest`, `node:fs`, ...)
 * @example
 * ```ts
 * expect(await externalImports(fileURLToPath(new URL('./index.ts', import.meta.url)))).not.toContain('vitest');
 * ```
 */
export async function externalImports(entry: string): Promise<string[]> {
  const seen = new Set<string>();
  await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    conditions: ['@x/source'],
    logLevel: 'silent',
    plugins: [
      {
        name: 'record-externals',
        setup(builder) {
          builder.onResolve({ filter: /^[^./]/ }, (args) => {
            if (args.path.startsWith('@x/')) return undefined;
            seen.add(args.path);
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
  return [...seen].sort();
}
