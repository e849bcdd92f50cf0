// CPU time of a bench phase: this process (process.cpuUsage) plus the PostgreSQL backends serving its
// database (utime + stime from /proc/<pid>/stat, sampled every 250 ms so a pooled connection that
// closes during the phase still counts; one opened during the phase counts from 0).
// On a shared machine the wall clock mostly measures the neighbours; CPU seconds measure the work.
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

const TICK = 100; // USER_HZ on Linux

function cpuOf(pid: string): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICK;
  } catch {
    return null;
  }
}

/** Backends of `database` (their process title is "postgres: <cluster>: <user> <database> …"). */
function backends(database: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let cmd: string;
    try {
      cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      continue;
    }
    if (!cmd.startsWith('postgres:') || !cmd.includes(` ${database} `)) continue;
    const c = cpuOf(pid);
    if (c !== null) out.set(pid, c);
  }
  return out;
}

export interface CpuReport {
  wallSeconds: number;
  nodeCpuSeconds: number;
  postgresCpuSeconds: number;
  loadAverage1m: [number, number];
}

/** Runs fn and reports its wall time and CPU time (node + the database's backends). */
export async function measure<T>(database: string | null, fn: () => Promise<T>): Promise<{ result: T; cpu: CpuReport }> {
  const load0 = loadavg()[0]!;
  const before = database ? backends(database) : new Map<string, number>();
  const last = new Map(before);
  const sample = () => {
    if (database) for (const [pid, c] of backends(database)) last.set(pid, c);
  };
  const timer = setInterval(sample, 250);
  const c0 = process.cpuUsage();
  const t0 = Date.now();
  try {
    const result = await fn();
    const wall = (Date.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    sample();
    let pgCpu = 0;
    for (const [pid, cpu] of last) pgCpu += cpu - (before.get(pid) ?? 0);
    const r2 = (x: number) => Math.round(x * 100) / 100;
    return {
      result,
      cpu: {
        wallSeconds: r2(wall),
        nodeCpuSeconds: r2((c.user + c.system) / 1e6),
        postgresCpuSeconds: r2(pgCpu),
        loadAverage1m: [r2(load0), r2(loadavg()[0]!)],
      },
    };
  } finally {
    clearInterval(timer);
  }
}
