// The UI's entry point (Vite bundles it into dist/ui).
import { render } from 'preact';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { App } from './app.js';
import { benchChart } from './bench-chart.js';
import './style.css';

// For the e2e test's render benchmark: draws a Chart of n points in a new box of the running page
// and resolves with its first-render time in ms (the chart's own performance measure).
(window as unknown as { omnitrainBenchChart: (n: number) => Promise<number> }).omnitrainBenchChart = (n) => {
  const box = document.createElement('div');
  box.className = 'bench';
  document.body.appendChild(box);
  render(benchChart(n), box);
  return new Promise((resolve) => {
    const poll = (): void => {
      const ms = box.querySelector('.chart')?.getAttribute('data-first-render-ms');
      if (ms) resolve(Number(ms));
      else setTimeout(poll, 5);
    };
    poll();
  });
};
(window as unknown as { uPlot: typeof uPlot }).uPlot = uPlot;
render(<App />, document.getElementById('app')!);
