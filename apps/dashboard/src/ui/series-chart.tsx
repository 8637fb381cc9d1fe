import { useEffect, useState } from 'preact/hooks';
import type uPlot from 'uplot';
import { getJson, seriesUrl } from './api-client.js';
import type { Series, SeriesInfo } from './api-types.js';
import { alignSeries } from './align-series.js';
import { Chart } from './chart.js';

/** One line of a {@link SeriesChart}: a series of a run, and its legend label. */
export interface SeriesLine {
  runId: string;
  series: Pick<SeriesInfo, 'kind' | 'name' | 'split' | 'label'>;
  label: string;
}

/** Props of {@link SeriesChart}. */
export interface SeriesChartProps {
  title: string;
  lines: SeriesLine[];
  /** Bumped by the live feed: refetch (unless zoomed in). */
  tick: number;
  smoothing: number;
  /** Applied to every value (bytes to MiB, ...). */
  scale?: number;
  /** x is a wall-clock time in ms (system and worker series): drawn as time. */
  time?: boolean;
}

/** Points asked of the server for a whole series; it min/max-downsamples longer ones. */
const OVERVIEW_POINTS = 2000;
/** Points asked for a zoomed range: the full resolution of any range up to this many points. */
const ZOOM_POINTS = 20_000;

/**
 * A chart of server series: fetches each line downsampled for the overview, and on a drag-zoom
 * refetches only the selected step range at full resolution.
 *
 * @example <SeriesChart title="loss" lines={[{ runId, series: { kind: 'metric', name: 'loss', split: 'train', label: '' }, label: 'train' }]} tick={0} smoothing={0.6} />
 */
export function SeriesChart({ title, lines, tick, smoothing, scale = 1, time = false }: SeriesChartProps) {
  const [zoom, setZoom] = useState<[number, number] | undefined>(undefined);
  const [data, setData] = useState<uPlot.AlignedData | null>(null);
  const [error, setError] = useState('');
  const key = lines.map((l) => `${l.runId}/${l.series.kind}/${l.series.name}/${l.series.split}/${l.series.label}`).join('|');
  useEffect(() => {
    let live = true;
    // system and worker x values are ms; the chart shows seconds
    const range = zoom && time ? ([zoom[0] * 1000, zoom[1] * 1000] as [number, number]) : zoom;
    Promise.all(lines.map((l) => getJson<Series>(seriesUrl(l.runId, l.series, zoom ? ZOOM_POINTS : OVERVIEW_POINTS, range)).catch(() => ({ steps: [], values: [] }) as Series)))
      .then((all) => {
        if (!live) return;
        const scaled = all.map((s) => ({
          steps: time ? s.steps.map((x) => x / 1000) : s.steps,
          values: scale === 1 ? s.values : s.values.map((v) => (v === null ? null : v * scale)),
        }));
        setData(alignSeries(scaled));
        setError('');
      })
      .catch((e: Error) => live && setError(e.message));
    return () => { live = false; };
  }, [key, zoom?.join(','), zoom ? 0 : tick]);
  if (error) return <div class="card error">{title}: {error}</div>;
  if (data === null) return <div class="card chart loading" data-title={title}><h3>{title}</h3></div>;
  return <Chart title={title} labels={lines.map((l) => l.label)} data={data} smoothing={smoothing} time={time} zoomed={zoom} onZoom={setZoom} />;
}
