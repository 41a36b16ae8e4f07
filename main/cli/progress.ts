/**
 * A one-line progress counter on stderr, only when stderr is a terminal (logs and pipes stay clean).
 */
export interface Progress {
  tick(): void;
  done(): void;
}

export function progressLine(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total < 2) return { tick() {}, done() {} };
  let n = 0;
  const t0 = performance.now();
  const draw = () => {
    const rate = n / ((performance.now() - t0) / 1000 || 1);
    stream.write(`\r${label}: ${n}/${total} frames (${rate.toFixed(1)}/s)`);
  };
  draw();
  return {
    tick() { n++; draw(); },
    done() { stream.write('\n'); },
  };
}
