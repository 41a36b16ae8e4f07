import type { SettingScore } from './calibrate';

/** One point of the trade-off between lesion Dice and false alarms on normal images. */
export interface TradeoffPoint {
  /** normal images with a lesion left after clean-up */
  normalMarked: number;
  /** the best mean lesion Dice among the settings marking at most that many */
  dice: number;
  setting: SettingScore;
}

/**
 * The frontier of a calibration's settings: for each count of normal images marked, the best lesion
 * Dice reachable while marking no more, listed only where it improves on fewer marks. Read it to see
 * what one more false alarm buys; empty when the images have no lesion or no normal image.
 */
export function tradeoffOf(tried: SettingScore[]): TradeoffPoint[] {
  const scored = tried
    .filter((s) => s.dice !== null && s.normalFpRate !== null)
    .map((s) => ({ normalMarked: Math.round(s.normalFpRate! * s.normalImages), dice: s.dice!, setting: s }))
    .sort((a, b) => a.normalMarked - b.normalMarked || b.dice - a.dice);
  const frontier: TradeoffPoint[] = [];
  for (const p of scored) {
    const last = frontier[frontier.length - 1];
    if (!last || p.dice > last.dice) frontier.push(p);
  }
  return frontier;
}
