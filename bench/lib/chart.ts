// Grouped bar charts as plain SVG: no chart service, no dependency.

export interface Series {
  name: string;
  color: string;
  values: number[];
  /** Per-group colours (a one-series panel with a bar per group); no legend entry then. */
  colors?: string[];
}

export interface Panel {
  title: string;
  unit: string;
  groups: string[];
  series: Series[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function compact(v: number): string {
  if (!Number.isFinite(v)) return 'n/a';
  const a = Math.abs(v);
  if (a >= 1e6) return `${(v / 1e6).toFixed(a >= 1e7 ? 1 : 2)}M`;
  if (a >= 1e4) return `${(v / 1e3).toFixed(0)}k`;
  if (a >= 1e3) return `${(v / 1e3).toFixed(1)}k`;
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return String(Number(v.toFixed(1)));
  return String(Number(v.toFixed(2)));
}

/** The top of the axis: four steps of 1, 2, 2.5 or 5 × 10^k. */
function niceMax(v: number): number {
  if (!(v > 0)) return 1;
  const raw = v / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw) return 4 * m * p;
  return 40 * p;
}

function panel(p: Panel, x0: number, y0: number, w: number, h: number): string {
  const left = 48;
  const top = 40;
  const bottom = 58;
  const plotW = w - left - 12;
  const plotH = h - top - bottom;
  const max = niceMax(Math.max(...p.series.flatMap((s) => s.values.filter(Number.isFinite))));
  const out: string[] = [];
  out.push(`<text x="${x0 + w / 2}" y="${y0 + 18}" text-anchor="middle" font-weight="bold">${esc(p.title)}</text>`);
  out.push(`<text x="${x0 + w / 2}" y="${y0 + 32}" text-anchor="middle" font-size="11" fill="#555">${esc(p.unit)}</text>`);
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    const y = y0 + top + plotH - (plotH * i) / 4;
    out.push(`<line x1="${x0 + left}" x2="${x0 + left + plotW}" y1="${y}" y2="${y}" stroke="#ddd"/>`);
    out.push(`<text x="${x0 + left - 4}" y="${y + 4}" text-anchor="end" font-size="10" fill="#555">${compact(v)}</text>`);
  }
  const gw = plotW / p.groups.length;
  const bw = Math.min(36, (gw * 0.8) / p.series.length);
  p.groups.forEach((g, gi) => {
    const gx = x0 + left + gi * gw + (gw - bw * p.series.length) / 2;
    p.series.forEach((s, si) => {
      const v = s.values[gi];
      if (!Number.isFinite(v)) return;
      const bh = (plotH * v) / max;
      const x = gx + si * bw;
      const y = y0 + top + plotH - bh;
      out.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${bh.toFixed(1)}" fill="${s.colors?.[gi] ?? s.color}"><title>${esc(`${s.name}, ${g}: ${compact(v)}`)}</title></rect>`);
      out.push(`<text x="${(x + bw / 2 - 1).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="9">${compact(v)}</text>`);
    });
    out.push(`<text x="${x0 + left + gi * gw + gw / 2}" y="${y0 + top + plotH + 14}" text-anchor="middle" font-size="10">${esc(g)}</text>`);
  });
  // Legend, wrapped to the panel's width.
  let lx = x0 + left;
  let ly = y0 + h - 30;
  for (const s of p.series.filter((x) => !x.colors)) {
    const wItem = 22 + s.name.length * 5.6;
    if (lx + wItem > x0 + w && lx > x0 + left) {
      lx = x0 + left;
      ly += 14;
    }
    out.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${s.color}"/>`);
    out.push(`<text x="${lx + 14}" y="${ly}" font-size="10">${esc(s.name)}</text>`);
    lx += wItem;
  }
  return out.join('\n');
}

/** Panels side by side in one SVG. */
export function chart(title: string, panels: Panel[], panelW = 380, panelH = 310): string {
  const w = panelW * panels.length;
  const h = panelH + 30;
  const body = panels.map((p, i) => panel(p, i * panelW, 30, panelW, panelH)).join('\n');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="Helvetica, Arial, sans-serif" font-size="12">\n` +
    `<rect width="100%" height="100%" fill="#fff"/>\n<text x="${w / 2}" y="20" text-anchor="middle" font-size="14" font-weight="bold">${esc(title)}</text>\n${body}\n</svg>\n`
  );
}
