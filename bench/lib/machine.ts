import { readFileSync } from 'node:fs';
import { cpus, totalmem, platform, release } from 'node:os';

export interface MachineDescription {
  cpuModel: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
}

/** The CPU model as the kernel names it; `os.cpus()` is the fallback where /proc is absent (macOS). */
function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    const model = line?.split(':')[1]?.trim();
    if (model) return model;
  } catch {
    // not Linux: fall through
  }
  return cpus()[0]?.model ?? 'unknown';
}

/** What the figures were measured on: they mean little without it. */
export function describeMachine(): MachineDescription {
  return {
    cpuModel: cpuModel(),
    cores: cpus().length,
    memoryGb: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()}`,
  };
}

export function machineLine(m: MachineDescription): string {
  return `${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB RAM, Node ${m.node}, ${m.os}`;
}
