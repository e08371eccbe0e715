import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository root, so children run with the same working folder whatever the caller's is. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../bin/qbo-export', import.meta.url));
/** The Node flags bin/qbo-export runs with (its `#!/usr/bin/env -S node …` line): bench workers use the same. */
export const cliNodeFlags: readonly string[] = (readFileSync(cliPath, 'utf8').split('\n')[0] ?? '')
  .replace(/^#!.*?\bnode\b/, '').trim().split(/\s+/).filter(Boolean);

export interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

export interface RunningChild {
  readonly process: ChildProcess;
  readonly done: Promise<ChildResult>;
}

/** Spawns `node …args` with the given extra environment; output is collected, never inherited. */
export function spawnNode(args: readonly string[], env: Record<string, string>, onStderrLine?: (line: string) => void): RunningChild {
  const started = Date.now();
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let partial = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    if (onStderrLine) {
      const lines = (partial + d).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) onStderrLine(line);
    }
    // Keep the tail only: a long run's logs must not grow the harness without bound.
    stderr = (stderr + d).slice(-200_000);
  });
  const done = new Promise<ChildResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, wallMs: Date.now() - started }));
  });
  return { process: child, done };
}

/** `./bin/qbo-export …args` as a child process. */
export function spawnCli(args: readonly string[], env: Record<string, string>, onStderrLine?: (line: string) => void): RunningChild {
  return spawnNode([cliPath, ...args], env, onStderrLine);
}

export async function runCli(args: readonly string[], env: Record<string, string>): Promise<ChildResult> {
  return spawnCli(args, env).done;
}

/** Parses the single JSON document a `--json` command prints; null when the output is not one. */
export function parseJsonOutput<T>(stdout: string): T | null {
  const text = stdout.trim();
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
