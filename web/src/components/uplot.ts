/** uPlot behind one function, so the chart library is its own chunk, loaded by the first page with a chart. */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  /** CSS colour; series are also told apart by dash pattern. */
  stroke: string;
  dash?: number[];
  values: (number | null)[];
}

export function drawTimeSeries(el: HTMLElement, data: { days: string[]; series: Series[]; height: number }): uPlot {
  const xs = data.days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
  const width = Math.max(320, el.clientWidth || 640);
  const opts: uPlot.Options = {
    width,
    height: data.height,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    scales: { x: { time: true } },
    axes: [{ stroke: '#1f2328', grid: { stroke: '#d0d7de' } }, { stroke: '#1f2328', grid: { stroke: '#d0d7de' } }],
    series: [{}, ...data.series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, dash: s.dash, spanGaps: true }))],
    legend: { live: false },
  };
  const chart = new uPlot(opts, [xs, ...data.series.map((s) => s.values)] as uPlot.AlignedData, el);
  const resize = new ResizeObserver(() => chart.setSize({ width: Math.max(320, el.clientWidth), height: data.height }));
  resize.observe(el);
  const destroy = chart.destroy.bind(chart);
  chart.destroy = () => {
    resize.disconnect();
    destroy();
  };
  return chart;
}
