import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import { emaSmooth } from './ema-smooth.js';

/** Line colors, in order. */
export const COLORS = ['#2680c2', '#e12d39', '#3ebd93', '#f0b429', '#8719e0', '#486581', '#d64545', '#0c6b58'];

/** Props of {@link Chart}. */
export interface ChartProps {
  title: string;
  /** One label per line of `data`. */
  labels: string[];
  /** uPlot data: x, then one array per line (raw values). */
  data: uPlot.AlignedData;
  /** EMA weight in [0, 1): 0 draws the raw lines; above, the smoothed line over a faint raw one. */
  smoothing?: number;
  /** x is wall-clock seconds rather than steps. */
  time?: boolean;
  /** Called with the dragged x range, or undefined on double-click (zoom out). */
  onZoom?: (range: [number, number] | undefined) => void;
  /** Shown as the zoomed range. */
  zoomed?: [number, number];
  /** Plot width in px. Default: the card's width. */
  width?: number;
  height?: number;
}

/**
 * One uPlot chart with TensorBoard-style smoothing and drag-to-zoom. The wrapper carries
 * `data-points` (raw points drawn) and `data-first-render-ms` (creation to first draw, also a
 * `performance.measure` named `chart:<title>`) for tests.
 *
 * @example <Chart title="loss" labels={['train']} data={[[0, 1, 2], [0.9, 0.7, 0.6]]} smoothing={0.6} />
 */
export function Chart({ title, labels, data, smoothing = 0, time = false, onZoom, zoomed, width, height = 220 }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const wrapper = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const zoomRef = useRef(onZoom);
  zoomRef.current = onZoom;
  const smooth = smoothing > 0;
  const drawn = (): uPlot.AlignedData => {
    if (!smooth) return data;
    const ys = data.slice(1) as Array<Array<number | null>>;
    return [data[0], ...ys, ...ys.map((y) => emaSmooth(y, smoothing))] as uPlot.AlignedData;
  };
  const shown = useRef<{ data: uPlot.AlignedData; smoothing: number } | null>(null);
  const key = `${labels.join('|')}|${smooth}|${time}`;
  useEffect(() => {
    const lines = labels.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length]! + (smooth ? '44' : ''), width: smooth ? 1 : 1.5, spanGaps: true }));
    const smoothed = smooth ? labels.map((label, i) => ({ label: `${label} (smoothed)`, stroke: COLORS[i % COLORS.length]!, width: 1.75, spanGaps: true })) : [];
    const mark = `chart-create:${title}:${Math.random()}`;
    performance.mark(mark);
    let first = true;
    const opts: uPlot.Options = {
      width: width ?? Math.max(320, (wrapper.current?.clientWidth ?? 464) - 26),
      height,
      scales: { x: { time } },
      axes: [{}, { size: 64 }],
      legend: { live: true },
      cursor: { drag: { x: true, y: false, setScale: false } },
      series: [{ label: time ? 'time' : 'step' }, ...lines, ...smoothed],
      hooks: {
        draw: [
          () => {
            if (!first) return;
            first = false;
            const measure = performance.measure(`chart:${title}`, mark);
            wrapper.current?.setAttribute('data-first-render-ms', measure.duration.toFixed(2));
          },
        ],
        setSelect: [
          (u) => {
            if (u.select.width > 3 && zoomRef.current) {
              const from = u.posToVal(u.select.left, 'x');
              const to = u.posToVal(u.select.left + u.select.width, 'x');
              zoomRef.current([from, to]);
            }
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          },
        ],
      },
    };
    plot.current = new uPlot(opts, drawn(), ref.current!);
    shown.current = { data, smoothing };
    const reset = (): void => zoomRef.current?.(undefined);
    ref.current!.addEventListener('dblclick', reset);
    return () => {
      ref.current?.removeEventListener('dblclick', reset);
      plot.current?.destroy();
    };
  }, [key]);
  useEffect(() => {
    // the chart was just created with this data: no second pass over it
    if (shown.current?.data === data && shown.current.smoothing === smoothing) return;
    shown.current = { data, smoothing };
    plot.current?.setData(drawn());
  }, [data, smoothing]);
  const perLine = data.slice(1).map((y) => (y as Array<number | null>).reduce<number>((n, v) => (v === null ? n : n + 1), 0));
  return (
    <div ref={wrapper} class="card chart" data-title={title} data-points={perLine.reduce<number>((a, b) => a + b, 0)} data-line-points={perLine.join(',')} data-zoomed={zoomed ? zoomed.join(',') : ''}>
      <h3>
        {title}
        {zoomed && (
          <button class="link" onClick={() => onZoom?.(undefined)} title="or double-click the chart">
            reset zoom ({fmt(zoomed[0])}–{fmt(zoomed[1])})
          </button>
        )}
      </h3>
      <div ref={ref} />
    </div>
  );
}

const fmt = (x: number): string => (Math.abs(x) >= 1e5 ? x.toExponential(2) : String(Math.round(x)));
