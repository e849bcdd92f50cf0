import type { Kernel } from '../kernel.ts';

/** A `weijian <name> …` command. Commands that need the database get a started kernel. */
export interface CliCommand {
  /** e.g. 'user create', 'import divisions', 'audit verify'. */
  name: string;
  summary: string;
  usage: string;
  /** Runs without booting the kernel (e.g. world generate opens its own database). */
  noKernel?: boolean;
  run(args: string[], kernel: Kernel | null, out: (line: string) => void): Promise<number>;
}

/** `--flag value` and `--flag=value` pairs plus positional arguments. */
export function parseArgs(args: string[]): { flags: Record<string, string | true>; positional: string[] } {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const [k = '', v] = a.slice(2).split('=', 2);
      if (v !== undefined) flags[k] = v;
      else if (i + 1 < args.length && !args[i + 1]!.startsWith('--')) flags[k] = args[++i]!;
      else flags[k] = true;
    } else positional.push(a);
  }
  return { flags, positional };
}
