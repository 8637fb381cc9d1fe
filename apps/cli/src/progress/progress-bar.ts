import cliProgress from 'cli-progress';

/** Options of {@link createProgressBar}. */
export interface ProgressBarOptions {
  /** What is progressing, printed before the bar: `epoch 2/5`, `cleaning`. */
  label: string;
  /** The value at 100% (batches, rows); 0 or less draws nothing until {@link ProgressBar.stop}. */
  total: number;
  /** Where to draw. Default: `process.stderr`. */
  stream?: NodeJS.WriteStream;
  /** Draw a live bar (true) or plain lines (false). Default: whether `stream` is a TTY. */
  tty?: boolean;
  /** Without a TTY, also print a line when this many ms passed since the last one. Default 5000. */
  intervalMs?: number;
  /** Clock in ms, for tests. Default: `Date.now`. */
  now?: () => number;
}

/** A progress bar for one piece of long work (an epoch's batches, cleaning rows). */
export interface ProgressBar {
  /** Sets the current value and the short status after the bar (`loss 0.412`). */
  update(value: number, info?: string): void;
  /** Adds `delta` (default 1) to the value. */
  increment(delta?: number, info?: string): void;
  /** Ends the bar: a TTY bar stays drawn as it is, plain output prints a final line. */
  stop(info?: string): void;
}

/**
 * A progress bar that draws with cli-progress on a TTY and, without one (CI logs, a pipe), prints
 * one plain line each time another ~10% is done or `intervalMs` passed, so logs stay readable:
 * `epoch 1/3  40% (8/20) loss 0.512`.
 *
 * @param options Label, total, stream and TTY choice (see {@link ProgressBarOptions}).
 * @returns The bar; call `stop` when the work is done.
 *
 * @example
 * const bar = createProgressBar({ label: 'epoch 1/3', total: batches });
 * for (const b of batches) { train(b); bar.increment(1, `loss ${loss.toFixed(3)}`); }
 * bar.stop();
 */
export function createProgressBar(options: ProgressBarOptions): ProgressBar {
  const stream = options.stream ?? process.stderr;
  const tty = options.tty ?? stream.isTTY === true;
  return tty ? ttyBar(options, stream) : plainBar(options, stream);
}

function ttyBar(options: ProgressBarOptions, stream: NodeJS.WriteStream): ProgressBar {
  const bar = new cliProgress.SingleBar(
    {
      format: `${options.label} [{bar}] {percentage}% {value}/{total} {info}`,
      stream,
      barsize: 30,
      hideCursor: null,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let value = 0;
  bar.start(Math.max(options.total, 1), 0, { info: '' });
  return {
    update(v, info) {
      value = v;
      bar.update(v, { info: info ?? '' });
    },
    increment(delta = 1, info) {
      this.update(value + delta, info);
    },
    stop(info) {
      if (info !== undefined) bar.update(value, { info });
      bar.stop();
    },
  };
}

function plainBar(options: ProgressBarOptions, stream: NodeJS.WriteStream): ProgressBar {
  const now = options.now ?? Date.now;
  const interval = options.intervalMs ?? 5000;
  const total = options.total;
  let value = 0;
  let lastInfo = '';
  let lastDecile = 0;
  let lastTime = now();
  let stopped = false;
  const line = (info: string) => {
    const share = total > 0 ? ` ${Math.floor((100 * value) / total)}% (${value}/${total})` : ` ${value}`;
    stream.write(`${options.label}${share}${info ? ` ${info}` : ''}\n`);
    lastTime = now();
  };
  return {
    update(v, info) {
      value = v;
      lastInfo = info ?? lastInfo;
      const decile = total > 0 ? Math.floor((10 * value) / total) : 0;
      if (decile > lastDecile && value < total) {
        lastDecile = decile;
        line(lastInfo);
      } else if (now() - lastTime >= interval) {
        line(lastInfo);
      }
    },
    increment(delta = 1, info) {
      this.update(value + delta, info);
    },
    stop(info) {
      if (stopped) return;
      stopped = true;
      line(info ?? lastInfo);
    },
  };
}
