import type { EpochLog, TrainProgress } from '../engine/train';

/**
 * Training progress for a terminal: on a TTY one redrawn line with a bar (epoch, step, loss, ETA);
 * otherwise (a log file, CI) plain lines, at most about ten per epoch, so logs stay readable.
 */
export class ProgressPrinter {
  private lastPlain = -1;
  private epochs = 0;

  constructor(private readonly out: NodeJS.WriteStream | { write(s: string): boolean; isTTY?: boolean }) {}

  private get tty(): boolean {
    return this.out.isTTY === true;
  }

  update(p: TrainProgress): void {
    if (p.epochs > 0) this.epochs = p.epochs;
    const line = describe(p);
    if (this.tty) {
      this.out.write(`\r${line}\x1b[K`);
      return;
    }
    const tenth = Math.floor((10 * p.step) / Math.max(1, p.steps));
    const key = p.epoch * 100 + tenth + (p.phase === 'validate' ? 50 : p.phase === 'load' ? 70 : 0);
    if (key !== this.lastPlain && (p.step === p.steps || tenth !== Math.floor((10 * (p.step - 1)) / Math.max(1, p.steps)) || p.phase === 'validate')) {
      this.lastPlain = key;
      this.out.write(`${line}\n`);
    }
  }

  /** epochs: the run's length (default: as the last progress update said) */
  epoch(e: EpochLog, epochs = this.epochs): void {
    const f = (v: number | null) => (v === null ? 'n/a' : v.toFixed(4));
    const text = `epoch ${e.epoch}/${epochs}  loss ${e.loss.toFixed(4)}  val Dice ${f(e.valDice)}  val IoU ${f(e.valIou)}  lr ${e.lr.toExponential(2)}  ${e.seconds.toFixed(1)} s${e.best ? '  (best)' : ''}`;
    this.out.write(this.tty ? `\r${text}\x1b[K\n` : `${text}\n`);
  }

  line(text: string): void {
    this.out.write(this.tty ? `\r${text}\x1b[K\n` : `${text}\n`);
  }
}

export function describe(p: TrainProgress): string {
  if (p.phase === 'load') return `loading images ${p.step}/${p.steps}`;
  if (p.phase === 'validate') return `epoch ${p.epoch}/${p.epochs} validating ${p.steps} images`;
  const width = 20;
  const filled = Math.round((width * p.step) / Math.max(1, p.steps));
  const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
  const loss = p.loss === null ? '' : `  loss ${p.loss.toFixed(4)}`;
  const eta = p.etaSeconds === null ? '' : `  ETA ${duration(p.etaSeconds)}`;
  return `epoch ${p.epoch}/${p.epochs} [${bar}] step ${p.step}/${p.steps}${loss}${eta}`;
}

export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(r).padStart(2, '0')}s` : `${r}s`;
}
