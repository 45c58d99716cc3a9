/**
 * Progress for long work: a bar on stderr when it is a TTY; silent with --json, --quiet, in CI
 * (CI=true) or when stderr is not a terminal, so scripted output stays clean.
 */
import cliProgress from "cli-progress";

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

const silent: Progress = { update() {}, stop() {} };

export function progressEnabled(opts: { json?: boolean; quiet?: boolean }): boolean {
  return !opts.json && !opts.quiet && Boolean(process.stderr.isTTY) && !process.env.CI;
}

export function createProgress(label: string, opts: { json?: boolean; quiet?: boolean }): Progress {
  if (!progressEnabled(opts)) return silent;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {value}/{total}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.setTotal(total);
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/**
 * One bar per named stage ("curve refits", "bootstrap", ...), created on the stage's first
 * report and stopped when it completes; `stopAll` closes any left open.
 */
export function stageProgress(opts: { json?: boolean; quiet?: boolean }): {
  onProgress: (stage: string, done: number, total: number) => void;
  stopAll: () => void;
} {
  const bars = new Map<string, Progress>();
  return {
    onProgress(stage, done, total) {
      if (total === 0) return;
      let bar = bars.get(stage);
      if (!bar) {
        bar = createProgress(stage, opts);
        bars.set(stage, bar);
      }
      bar.update(done, total);
      if (done >= total) bar.stop();
    },
    stopAll() {
      for (const b of bars.values()) b.stop();
    },
  };
}
