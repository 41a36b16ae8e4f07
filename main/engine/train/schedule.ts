import { SonoError } from '../../common/errors';

/**
 * Learning-rate schedules. cosine: linear warm-up over the first epochs, then a half cosine down to
 * minLr at the last epoch, updated every step. plateau: the rate is multiplied by `factor` after
 * `patience` epochs without a better validation Dice. The state is plain JSON so a checkpoint holds it.
 */
export type ScheduleKind = 'cosine' | 'plateau' | 'constant';

export interface ScheduleState {
  kind: ScheduleKind;
  baseLr: number;
  minLr: number;
  epochs: number;
  warmupEpochs: number;
  /** plateau: current rate, epochs without improvement, best Dice seen */
  lr: number;
  bad: number;
  best: number | null;
  factor: number;
  patience: number;
}

export function newSchedule(kind: ScheduleKind, baseLr: number, epochs: number, patience = 3): ScheduleState {
  if (!['cosine', 'plateau', 'constant'].includes(kind)) throw new SonoError('INVALID_ARGUMENT', `unknown schedule ${kind} (cosine, plateau or constant)`);
  if (!(baseLr > 0 && baseLr < 1)) throw new SonoError('INVALID_ARGUMENT', `learning rate must be in (0, 1), got ${baseLr}`);
  return {
    kind, baseLr, minLr: baseLr / 100, epochs, warmupEpochs: kind === 'cosine' && epochs > 4 ? 1 : 0,
    lr: baseLr, bad: 0, best: null, factor: 0.5, patience: Math.max(1, patience),
  };
}

/** The rate for a step at `progress` epochs into the run (e.g. 2.5 = halfway through the third epoch). */
export function learningRate(s: ScheduleState, progress: number): number {
  if (s.kind === 'constant') return s.baseLr;
  if (s.kind === 'plateau') return s.lr;
  if (progress < s.warmupEpochs) return s.baseLr * Math.max(0.05, progress / s.warmupEpochs);
  const span = Math.max(1e-9, s.epochs - s.warmupEpochs);
  const t = Math.min(1, (progress - s.warmupEpochs) / span);
  return s.minLr + 0.5 * (s.baseLr - s.minLr) * (1 + Math.cos(Math.PI * t));
}

/** After each epoch's validation: the plateau schedule lowers its rate when Dice stalls. */
export function afterEpoch(s: ScheduleState, valDice: number): ScheduleState {
  if (s.kind !== 'plateau') return s;
  if (s.best === null || valDice > s.best + 1e-4) return { ...s, best: valDice, bad: 0 };
  const bad = s.bad + 1;
  if (bad < s.patience) return { ...s, bad };
  return { ...s, bad: 0, lr: Math.max(s.minLr, s.lr * s.factor) };
}
