/**
 * Small dependency-free SVG charts for the evaluation report: a line chart (ROC, training curves) and
 * a histogram. Pure string building; every number is formatted, every label escaped.
 */
export interface Series {
  name: string;
  color: string;
  points: [number, number][];
}

export interface Axes {
  title: string;
  xLabel: string;
  yLabel: string;
  x: [number, number];
  y: [number, number];
}

const W = 420, H = 300, L = 52, R = 12, T = 28, B = 42;

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function scale(a: Axes): { sx: (v: number) => number; sy: (v: number) => number } {
  const dx = a.x[1] - a.x[0] || 1, dy = a.y[1] - a.y[0] || 1;
  return {
    sx: (v) => L + ((v - a.x[0]) / dx) * (W - L - R),
    sy: (v) => H - B - ((v - a.y[0]) / dy) * (H - T - B),
  };
}

function frame(a: Axes, id: string, body: string, legend = ''): string {
  const { sx, sy } = scale(a);
  const ticks = [0, 0.25, 0.5, 0.75, 1];
  const xt = ticks.map((t) => a.x[0] + t * (a.x[1] - a.x[0]));
  const yt = ticks.map((t) => a.y[0] + t * (a.y[1] - a.y[0]));
  const num = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Number(v.toPrecision(3)).toString());
  return `<svg xmlns="http://www.w3.org/2000/svg" id="${id}" class="plot" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeXml(a.title)}">
<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>
<text x="${W / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(a.title)}</text>
${xt.map((v) => `<line x1="${sx(v).toFixed(1)}" y1="${T}" x2="${sx(v).toFixed(1)}" y2="${H - B}" stroke="#eee"/><text x="${sx(v).toFixed(1)}" y="${H - B + 14}" text-anchor="middle" font-size="10">${num(v)}</text>`).join('\n')}
${yt.map((v) => `<line x1="${L}" y1="${sy(v).toFixed(1)}" x2="${W - R}" y2="${sy(v).toFixed(1)}" stroke="#eee"/><text x="${L - 4}" y="${(sy(v) + 3).toFixed(1)}" text-anchor="end" font-size="10">${num(v)}</text>`).join('\n')}
<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#444"/>
<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle" font-size="11">${escapeXml(a.xLabel)}</text>
<text x="14" y="${(T + H - B) / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 14 ${(T + H - B) / 2})">${escapeXml(a.yLabel)}</text>
${body}
${legend}
</svg>`;
}

export function lineChart(id: string, a: Axes, series: Series[], extra = ''): string {
  const { sx, sy } = scale(a);
  const lines = series.filter((s) => s.points.length > 0).map((s) => {
    const d = s.points.map(([x, y], i) => `${i ? 'L' : 'M'}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
    const dots = s.points.length <= 60 ? s.points.map(([x, y]) => `<circle cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2" fill="${s.color}"/>`).join('') : '';
    return `<path class="series" d="${d}" fill="none" stroke="${s.color}" stroke-width="2"/>${dots}`;
  }).join('\n');
  const legend = series.map((s, i) => `<rect x="${L + 8}" y="${T + 8 + i * 16}" width="10" height="10" fill="${s.color}"/><text x="${L + 22}" y="${T + 17 + i * 16}" font-size="11">${escapeXml(s.name)}</text>`).join('');
  return frame(a, id, extra + lines, legend);
}

/** Bars of counts over [lo, hi] in `bins` equal bins. */
export function histogram(id: string, a: Omit<Axes, 'x' | 'y'>, values: number[], bins: number, lo = 0, hi = 1): string {
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * bins)))]!++;
  // a multiple of 4, so the quarter ticks are whole image counts
  const axes: Axes = { ...a, x: [lo, hi], y: [0, Math.ceil(Math.max(1, ...counts) / 4) * 4] };
  const { sx, sy } = scale(axes);
  const bw = (hi - lo) / bins;
  const bars = counts.map((c, i) => {
    const x0 = sx(lo + i * bw), x1 = sx(lo + (i + 1) * bw);
    return `<rect class="bar" x="${(x0 + 0.5).toFixed(1)}" y="${sy(c).toFixed(1)}" width="${Math.max(0, x1 - x0 - 1).toFixed(1)}" height="${(sy(0) - sy(c)).toFixed(1)}" fill="#3b7dd8"><title>${c}</title></rect>`;
  }).join('\n');
  return frame(axes, id, bars);
}
