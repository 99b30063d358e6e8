/**
 * Time series drawn by uPlot (loaded with the first chart). Each chart also carries its numbers as a table for
 * screen readers and keyboard users: the canvas is an image of the table, not the only copy of the data.
 */
import { useEffect, useRef } from 'preact/hooks';
import type * as Charts from './uplot';
import type { Series } from './uplot';

let charts: Promise<typeof Charts> | undefined;

/** Starts loading the chart library: a page with a chart calls it as it mounts, so it loads beside the page's data. */
export const loadCharts = () => (charts ??= import('./uplot'));

export function TrendChart({ title, days, series, height = 220 }: { title: string; days: string[]; series: Series[]; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let chart: { destroy(): void } | undefined;
    let gone = false;
    const el = box.current;
    if (!el || days.length === 0) return;
    void loadCharts().then(({ drawTimeSeries }) => {
      if (gone) return;
      chart = drawTimeSeries(el, { days, series, height });
    });
    return () => {
      gone = true;
      chart?.destroy();
    };
  }, [days.join(), series.map((s) => s.values.join()).join('|'), height]);
  if (days.length === 0) return <p class="muted">No data in this period yet.</p>;
  return (
    <figure class="chart">
      <div ref={box} role="img" aria-label={`${title}: chart; the same numbers are in the table below`} />
      <details>
        <summary>{title} as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Day</th>
              {series.map((s) => (
                <th scope="col" key={s.label}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((d, i) => (
              <tr key={d}>
                <th scope="row">{d}</th>
                {series.map((s) => (
                  <td key={s.label}>{s.values[i] ?? '—'}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
