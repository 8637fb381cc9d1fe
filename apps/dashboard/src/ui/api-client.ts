// Fetching from the dashboard API with the page's token (when the server needs one).
import type { SeriesInfo } from './api-types.js';

const token = new URLSearchParams(location.search).get('token');

/** `url` with the page's `?token=` appended when the page has one. */
export const withToken = (url: string): string => (token ? `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` : url);

/**
 * GETs `url` as JSON; rejects with the server's `error` (and `hint`) text on a non-2xx answer.
 * @example const { runs } = await getJson<{ runs: Run[] }>('/api/runs');
 */
export async function getJson<T>(url: string): Promise<T> {
  const res = await fetch(withToken(url));
  const body = (await res.json().catch(() => ({}))) as { error?: string; hint?: string };
  if (!res.ok) throw new Error(body.error ? `${body.error}${body.hint ? ` (${body.hint})` : ''}` : `${url}: HTTP ${res.status}`);
  return body as T;
}

/**
 * The series URL of a run: `points` at most (min/max-downsampled by the server), in `[from, to]` when zoomed.
 * @example seriesUrl('run-a', { kind: 'metric', name: 'loss', split: 'train' }, 1600)
 */
export function seriesUrl(runId: string, s: Pick<SeriesInfo, 'kind' | 'name' | 'split'> & { label?: string }, points: number, range?: [number, number]): string {
  const zoom = range ? `&from=${range[0]}&to=${range[1]}` : '';
  return `/api/runs/${encodeURIComponent(runId)}/series?kind=${s.kind}&name=${encodeURIComponent(s.name)}&split=${encodeURIComponent(s.split)}&label=${encodeURIComponent(s.label ?? '')}&points=${points}${zoom}`;
}

/** The URL of a sample's media: a path inside the run folder is served by the server; URLs pass through. */
export const mediaUrl = (runId: string, path: string): string =>
  /^(https?:|data:)/.test(path) ? path : withToken(`/api/runs/${encodeURIComponent(runId)}/files/${path.split('/').map(encodeURIComponent).join('/')}`);
