import * as vega from 'vega';
import * as vl from 'vega-lite';
import type { LatencyPoint } from './bench-table';

/**
 * Latency percentiles per path as an SVG bar chart, rendered in Node by Vega-Lite and Vega's SVG
 * renderer (the same library as the staff insights charts): no hand-drawn SVG.
 */
export async function latencyChartSvg(points: LatencyPoint[], title: string): Promise<string> {
  const values = points.flatMap((p) => [
    { path: p.path, percentile: 'p50', ms: p.p50 },
    { path: p.path, percentile: 'p99', ms: p.p99 },
  ]);
  const spec: vl.TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 520,
    data: { values },
    mark: 'bar',
    encoding: {
      y: { field: 'path', type: 'nominal', sort: null, title: null },
      yOffset: { field: 'percentile', type: 'nominal' },
      x: { field: 'ms', type: 'quantitative', title: 'latency (ms), lower is better' },
      color: { field: 'percentile', type: 'nominal', scale: { range: ['#4c78a8', '#e45756'] } },
    },
  };
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  return view.toSVG();
}
