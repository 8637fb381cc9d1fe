import { useEffect, useState } from 'preact/hooks';
import { getJson, mediaUrl } from './api-client.js';
import type { SampleItem } from './api-types.js';

/**
 * The latest sample predictions of a run: image thumbnails, audio players or text, with label vs
 * predicted (wrong ones marked) and confidence. Media are served from the run folder.
 *
 * @example <SamplesPanel runId="run-a" tick={tick} />
 */
export function SamplesPanel({ runId, tick }: { runId: string; tick: number }) {
  const [samples, setSamples] = useState<{ step: number; split: string; items: SampleItem[] } | null>(null);
  useEffect(() => {
    let live = true;
    getJson<{ event: { step: number; split: string; items: SampleItem[] } | null }>(`/api/runs/${encodeURIComponent(runId)}/samples`)
      .then((r) => live && setSamples(r.event))
      .catch(() => live && setSamples(null));
    return () => { live = false; };
  }, [runId, tick]);
  if (samples === null || samples.items.length === 0) return null;
  return (
    <div class="card samples">
      <h3>sample predictions ({samples.split}, step {samples.step})</h3>
      <div class="sample-grid">
        {samples.items.slice(0, 48).map((s) => {
          const wrong = s.label !== undefined && s.label !== s.predicted;
          return (
            <figure key={s.id} class={`sample${wrong ? ' wrong' : ''}`} data-sample={s.id}>
              {s.image && <img src={mediaUrl(runId, s.image)} alt={s.id} loading="lazy" />}
              {s.audio && <audio controls preload="none" src={mediaUrl(runId, s.audio)} />}
              {s.text && <blockquote>{s.text}</blockquote>}
              <figcaption>
                {s.label !== undefined && <span>true <b>{s.label}</b> · </span>}
                <span>pred <b>{s.predicted}</b></span>
                {s.confidence !== undefined && <span> · {(s.confidence * 100).toFixed(0)}%</span>}
              </figcaption>
            </figure>
          );
        })}
      </div>
    </div>
  );
}
