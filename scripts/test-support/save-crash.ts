/**
 * Test support: crash safety of a save function (issue 19's probe). A child
 * process saves two different versions of a file to one path in a loop; the
 * parent kills it with SIGKILL at a random moment (after its first complete
 * save, 0 to 30 ms later), then reads the path: it must hold exactly one of the
 * two versions, never a torn mix. Repeated `rounds` times (scaled by
 * `X_FUZZ_SCALE`), each with a fresh child.
 *
 * The child script gets `<path> <reference-a> <reference-b>` as arguments:
 * it writes the complete bytes of both versions to the two reference paths
 * (plain writes), then loops over the save function alternating A and B, and
 * prints `ready <ms>` after its first two saves return, with the time they took.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fuzzScale } from './format-fuzz.js';

/** What the kills found. */
export interface CrashReport {
  rounds: number;
  /** How often the file held version A, version B. */
  a: number;
  b: number;
  /** Temporary files the killed children left beside the target. */
  leftovers: number;
  milliseconds: number;
  /** Rounds whose file was neither version (or missing, or the child failed). */
  failures: string[];
}

/**
 * Kills a saving child `rounds` times and checks the file after each kill.
 * @param child - absolute path of the child script (TypeScript, run with tsx and the `@x/source` condition)
 * @param rounds - kills at scale 1
 * @param seed - for the kill delays
 * @param check - called with the bytes found after each kill (throws when they do not load)
 * @returns counts and failures
 */
export async function killDuringSaves(
  child: string,
  rounds: number,
  seed: number,
  check: (bytes: Uint8Array) => void,
): Promise<CrashReport> {
  const folder = mkdtempSync(join(tmpdir(), 'x-save-crash-'));
  const target = join(folder, 'file.bin');
  const refA = join(folder, 'a.ref');
  const refB = join(folder, 'b.ref');
  const report: CrashReport = {
    rounds: rounds * fuzzScale(),
    a: 0,
    b: 0,
    leftovers: 0,
    milliseconds: 0,
    failures: [],
  };
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 4294967296;
  };
  const started = performance.now();
  try {
    for (let round = 0; round < report.rounds; round++) {
      const fraction = random();
      let delay = 0;
      const error = await new Promise<string | null>((resolve) => {
        const process_ = spawn(
          process.execPath,
          ['--conditions=@x/source', '--import', 'tsx', child, target, refA, refB],
          { stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let stderr = '';
        let killed = false;
        process_.stderr.on('data', (chunk) => {
          stderr += String(chunk);
        });
        process_.stdout.on('data', (chunk) => {
          const match = /ready (\d+(?:\.\d+)?)/.exec(String(chunk));
          if (!killed && match) {
            killed = true;
            delay = Math.floor(fraction * Number(match[1]));
            setTimeout(() => process_.kill('SIGKILL'), delay);
          }
        });
        process_.on('exit', (_code, signal) => {
          resolve(
            signal === 'SIGKILL'
              ? null
              : `child exited without being killed: ${stderr.slice(0, 400)}`,
          );
        });
      });
      if (error) {
        report.failures.push(`round ${round}: ${error}`);
        continue;
      }
      if (!existsSync(target)) {
        report.failures.push(`round ${round}: no file after the kill`);
        continue;
      }
      const found = readFileSync(target);
      const a = readFileSync(refA);
      const b = readFileSync(refB);
      if (found.equals(a)) report.a++;
      else if (found.equals(b)) report.b++;
      else {
        report.failures.push(
          `round ${round} (kill after ${delay} ms): the file is neither version (${found.length} bytes; A ${a.length}, B ${b.length})`,
        );
        continue;
      }
      try {
        check(new Uint8Array(found));
      } catch (caught) {
        report.failures.push(`round ${round}: ${String(caught)}`);
      }
      for (const name of readdirSync(folder)) {
        if (name.endsWith('.tmp')) {
          report.leftovers++;
          rmSync(join(folder, name));
        }
      }
    }
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
  report.milliseconds = performance.now() - started;
  return report;
}

/**
 * One line for the test log.
 * @param what - the save function
 * @param report - the kills' report
 * @returns for example `saveIndexFile: 12 SIGKILLs mid-save, file held A 5x, B 7x, never torn; 9 temp files left; 8210 ms`
 */
export function describeCrashes(what: string, report: CrashReport): string {
  return `${what}: ${report.rounds} SIGKILLs mid-save, the file held version A ${report.a}x and B ${report.b}x, ${report.failures.length} torn or missing; ${report.leftovers} temporary files left behind; ${report.milliseconds.toFixed(0)} ms`;
}
