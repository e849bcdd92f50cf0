import type { WorldStage } from './types.ts';

export interface ProgressOutput {
  isTTY?: boolean;
  write(s: string): unknown;
}

/**
 * A console progress display for world generation: one line per stage, redrawn in place on a terminal
 * (at most ten times a second); on a pipe or log file only the finished lines are written.
 */
export function consoleProgress(stages: readonly WorldStage[], out: ProgressOutput = process.stderr) {
  const tty = !!out.isTTY;
  const count = stages.length;
  let current = '';
  let index = 0;
  let last = 0;
  let drawn = false;

  const draw = (text: string, force = false) => {
    if (!tty) return;
    const now = Date.now();
    if (!force && now - last < 100) return;
    last = now;
    out.write(`\r\x1b[2K${text}`);
    drawn = true;
  };
  const finish = (text: string) => {
    out.write(tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
    drawn = false;
  };

  return {
    onStage(stage: WorldStage, ms?: number) {
      if (ms === undefined) {
        index++;
        current = `[${index}/${count}] ${stage.title}`;
        draw(current, true);
      } else {
        finish(`✓ ${current}  ${(ms / 1000).toFixed(1)} 秒`);
      }
    },
    onProgress(label: string, done: number, total: number) {
      const pct = total > 0 ? Math.min(1, done / total) : 1;
      const bar = '█'.repeat(Math.round(pct * 20)).padEnd(20, '░');
      const prefix = label.startsWith('摘要') ? '校验摘要' : current;
      draw(`${prefix}  ${label} ${bar} ${Math.round(pct * 100)}% ${done.toLocaleString('zh-CN')}/${total.toLocaleString('zh-CN')}`);
    },
    /** Ends a half-drawn line (e.g. the digest's). */
    end(text?: string) {
      if (text) finish(text);
      else if (drawn) out.write('\n');
      drawn = false;
    },
  };
}
