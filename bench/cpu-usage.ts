/**
 * CPU time spent on this machine during a benchmark's window, by role (Linux `/proc`): what one event or
 * one page costs every process of a deployment, so that a rate the machine cannot carry translates into
 * the cores it would need.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of `/proc`'s CPU counters. */
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

export type RoleOf = (pid: number, command: string) => string;

/** CPU seconds so far of every live process, summed by role, and the machine's busy seconds. */
export interface CpuSnapshot {
  byRole: Map<string, number>;
  machineBusy: number;
}

export function cpuSnapshot(roleOf: RoleOf): CpuSnapshot {
  const byRole = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited since the listing
    }
    // "pid (command) state ppid …": the command may hold spaces and parentheses, so split after the last ')'.
    const close = stat.lastIndexOf(')');
    const command = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // utime and stime are the 14th and 15th fields of the line, the 12th and 13th after the command.
    const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS;
    const role = roleOf(pid, command);
    byRole.set(role, (byRole.get(role) ?? 0) + seconds);
  }
  // The first line of /proc/stat: user nice system idle iowait irq softirq steal … in ticks.
  const [, ...ticks] = (readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/);
  const counts = ticks.slice(0, 8).map(Number);
  const idle = (counts[3] ?? 0) + (counts[4] ?? 0);
  const machineBusy = (counts.reduce((sum, count) => sum + count, 0) - idle) / TICKS;
  return { byRole, machineBusy };
}

/**
 * CPU seconds by role between two snapshots, and per unit of work (`units`: events, pages) of the roles
 * not named in `outside` (the simulators stand for remote APIs). Processes that exit inside the window are
 * not counted; a deployment's processes live through it.
 */
export function cpuBetween(
  before: CpuSnapshot,
  after: CpuSnapshot,
  window: { seconds: number; units: number; outside: string[] },
) {
  const round = (value: number) => Number(value.toFixed(3));
  const seconds: Record<string, number> = {};
  let deployment = 0;
  for (const [role, total] of after.byRole) {
    const spent = total - (before.byRole.get(role) ?? 0);
    if (spent <= 0) continue;
    seconds[role] = round(spent);
    if (!window.outside.includes(role)) deployment += spent;
  }
  const machine = after.machineBusy - before.machineBusy;
  return {
    cpuSeconds: seconds,
    /** Cores kept busy on average: everything on the machine, the benchmark's processes included. */
    machineCores: round(machine / window.seconds),
    /** Core-milliseconds per unit of work of the deployment's processes. */
    coreMsPerUnit: round((deployment * 1000) / window.units),
  };
}
