import * as vega from 'vega';
import * as vegaLite from 'vega-lite';

/**
 * Charts drawn on the server as SVG with Vega-Lite compiled to Vega and Vega's SVG renderer: the
 * staff pages keep their CSP (no script). vega 5 / vega-lite 5 are pinned because they ship CommonJS
 * builds for Node 20 (vega 6 and vega-lite 6 are ESM-only, vega-lite 6 asks for Node 22).
 * Only the suppressed aggregates reach a chart; suppressed cells are left out (the table says "< 10").
 */
export interface ChartPoint {
  x: string;
  y: number;
  series?: string;
}

export type ChartKind = 'bar' | 'stacked' | 'line';

export async function chartSvg(points: ChartPoint[], opts: { kind: ChartKind; x: string; y: string; series?: string; width?: number }): Promise<string> {
  if (!points.length) return '';
  const spec: vegaLite.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    width: opts.width ?? 560,
    height: 220,
    data: { values: points },
    mark: opts.kind === 'line' ? { type: 'line', point: true } : { type: 'bar' },
    encoding: {
      x: { field: 'x', type: 'nominal', title: opts.x, sort: null, axis: { labelAngle: -30 } },
      y: { field: 'y', type: 'quantitative', title: opts.y },
      ...(opts.series ? { color: { field: 'series', type: 'nominal', title: opts.series } } : {}),
      ...(opts.kind === 'bar' && opts.series ? { xOffset: { field: 'series' } } : {}),
    },
    config: { font: 'sans-serif' },
  };
  const view = new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
