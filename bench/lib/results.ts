import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { describeMachine, type MachineDescription } from './machine.ts';
import type { TableRow } from './table.ts';

export interface ResultsDocument<T> {
  /** When the run finished (ISO UTC). */
  measuredAt: string;
  machine: MachineDescription;
  /** Git commit the figures were measured on, when known. */
  commit: string | null;
  durationSeconds: number;
  table: TableRow[];
  details: T;
}

/** Writes the machine-readable results (the README table is generated from the same rows). */
export function writeResults<T>(file: string, doc: Omit<ResultsDocument<T>, 'machine' | 'measuredAt'>): ResultsDocument<T> {
  const full: ResultsDocument<T> = { measuredAt: new Date().toISOString(), machine: describeMachine(), ...doc };
  writeFileSync(file, `${JSON.stringify(full, null, 2)}\n`);
  return full;
}

/** The commit the working tree is on (with `+dirty` when files differ), so figures can be traced to code. */
export function currentCommit(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', 'src'], { encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head}+dirty` : head;
  } catch {
    return null;
  }
}
