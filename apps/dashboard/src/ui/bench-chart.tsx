import { Chart } from './chart.js';

/**
 * A {@link Chart} of `n` points of a noisy decaying curve, for measuring first-render time
 * (the wrapper's `data-first-render-ms`).
 * @example render(benchChart(200_000), el);
 */
export function benchChart(n: number) {
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = i;
    ys[i] = 2 * Math.exp(-i / (n / 4)) + Math.sin(i / 500) * 0.1 + Math.random() * 0.05;
  }
  return <Chart title={`bench ${n}`} labels={['loss']} data={[xs as unknown as number[], ys as unknown as number[]]} width={900} height={320} />;
}
