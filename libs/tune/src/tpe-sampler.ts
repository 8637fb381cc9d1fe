import { Rng } from '@omnitrain/core';
import { sampleParam } from './random-sampler.js';
import type { ParamSpec, Params } from './search-space.js';
import type { SampleContext, Sampler } from './sampler.js';
import type { TrialRecord } from './trial-record.js';

/** Options of {@link tpeSampler}. */
export interface TpeSamplerOptions {
  /** Seed of the sampler's Rng. Default 0. */
  seed?: number;
  /** Random trials before TPE takes over. Default 10 (as Optuna). */
  startupTrials?: number;
  /** Fraction of observed trials counted as good (l(x)), at most 25 of them (as Optuna). Default 0.1. */
  gamma?: number;
  /** Candidates drawn from l(x) per parameter; the one maximizing l(x)/g(x) wins. Default 24. */
  candidates?: number;
}

interface Parzen {
  logPdf(x: number): number;
  sample(rng: Rng): number;
}

const SQRT2 = Math.SQRT2;
function erf(x: number): number {
  // Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7).
  const s = Math.sign(x);
  const a = Math.abs(x);
  const t = 1 / (1 + 0.3275911 * a);
  const y = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-a * a);
  return s * y;
}
const cdf = (x: number, mu: number, sigma: number) => 0.5 * (1 + erf((x - mu) / (sigma * SQRT2)));

/** A mixture of Gaussians truncated to [lo, hi], one per observation plus a wide prior. */
function parzen(obs: readonly number[], lo: number, hi: number): Parzen {
  const width = hi - lo;
  const mus = [...obs, (lo + hi) / 2];
  const sorted = [...mus].sort((a, b) => a - b);
  const minSigma = width / Math.min(100, 1 + mus.length);
  const sigmas = mus.map((mu, i) => {
    if (i === mus.length - 1) return width; // the prior
    const j = sorted.indexOf(mu);
    const left = j > 0 ? mu - sorted[j - 1]! : mu - lo;
    const right = j < sorted.length - 1 ? sorted[j + 1]! - mu : hi - mu;
    return Math.min(width, Math.max(minSigma, left, right));
  });
  const mass = mus.map((mu, i) => Math.max(1e-12, cdf(hi, mu, sigmas[i]!) - cdf(lo, mu, sigmas[i]!)));
  const w = 1 / mus.length;
  return {
    logPdf(x) {
      let p = 0;
      for (let i = 0; i < mus.length; i++) {
        const z = (x - mus[i]!) / sigmas[i]!;
        p += (w * Math.exp(-0.5 * z * z)) / (sigmas[i]! * Math.sqrt(2 * Math.PI) * mass[i]!);
      }
      return Math.log(Math.max(p, 1e-300));
    },
    sample(rng) {
      const i = rng.int(0, mus.length - 1);
      for (let tries = 0; tries < 100; tries++) {
        const x = rng.normal(mus[i]!, sigmas[i]!);
        if (x >= lo && x <= hi) return x;
      }
      return Math.min(hi, Math.max(lo, mus[i]!));
    },
  };
}

/** Numeric parameters in the space TPE models them in (log for loguniform; int widened by half a step). */
function numericBounds(spec: Exclude<ParamSpec, { choice: unknown }>): { lo: number; hi: number; to: (v: number) => number; from: (x: number) => number } {
  if ('uniform' in spec) return { lo: spec.uniform[0], hi: spec.uniform[1], to: (v) => v, from: (x) => x };
  if ('loguniform' in spec) {
    const [a, b] = spec.loguniform;
    return { lo: Math.log(a), hi: Math.log(b), to: Math.log, from: (x) => Math.min(b, Math.max(a, Math.exp(x))) };
  }
  const [a, b] = spec.int;
  const top = a + spec.step * Math.floor((b - a) / spec.step);
  return {
    lo: a - spec.step / 2,
    hi: top + spec.step / 2,
    to: (v) => v,
    from: (x) => Math.min(top, Math.max(a, a + spec.step * Math.round((x - a) / spec.step))),
  };
}

/**
 * Tree-structured Parzen Estimator (Bergstra et al. 2011, as Optuna's univariate TPE): after
 * `startupTrials` random points, the finished trials are split by objective into the best
 * `gamma` fraction (good; at most 25) and the rest (bad; pruned trials count as bad); per parameter a
 * Parzen density l(x) is fit to the good values and g(x) to the bad ones (truncated Gaussians
 * for numbers, smoothed frequencies for choices), `candidates` values are drawn from l, and the
 * one maximizing l(x)/g(x) is proposed.
 *
 * @example
 * const sampler = tpeSampler({ seed: 1, startupTrials: 10, gamma: 0.1 });
 */
export function tpeSampler(options: TpeSamplerOptions = {}): Sampler {
  const rng = Rng.fromSeed(options.seed ?? 0);
  const startup = options.startupTrials ?? 10;
  const gamma = options.gamma ?? 0.1;
  const nCandidates = options.candidates ?? 24;
  return {
    name: 'tpe',
    sample({ space, trials, direction }: SampleContext): Params {
      const completed = trials.filter((t): t is TrialRecord & { value: number } => t.state === 'completed' && t.value !== undefined && Number.isFinite(t.value));
      const out: Params = {};
      if (completed.length < startup) {
        for (const [path, spec] of Object.entries(space)) out[path] = sampleParam(spec, rng);
        return out;
      }
      const sorted = [...completed].sort((a, b) => (direction === 'max' ? b.value - a.value : a.value - b.value));
      const nGood = Math.min(25, Math.max(1, Math.ceil(gamma * sorted.length)));
      const good = sorted.slice(0, nGood);
      const bad = [...sorted.slice(nGood), ...trials.filter((t) => t.state === 'pruned')];
      for (const [path, spec] of Object.entries(space)) {
        const goodV = good.map((t) => t.params[path]).filter((v) => v !== undefined);
        const badV = bad.map((t) => t.params[path]).filter((v) => v !== undefined);
        if ('choice' in spec) {
          const k = spec.choice.length;
          // As Optuna: one kernel per observation (mass 1 on it plus 1/(m+1) on every choice,
          // normalized) and a uniform prior kernel, averaged.
          const weights = (vals: unknown[]) => {
            const fill = 1 / (vals.length + 1);
            return spec.choice.map((c) => (vals.reduce<number>((sum, v) => sum + (fill + (v === c ? 1 : 0)) / (1 + k * fill), 0) + 1 / k) / (vals.length + 1));
          };
          const l = weights(goodV);
          const g = weights(badV);
          let best = 0;
          let bestScore = -Infinity;
          for (let c = 0; c < nCandidates; c++) {
            let u = rng.float();
            let i = 0;
            while (i < k - 1 && u >= l[i]!) u -= l[i++]!;
            const score = Math.log(l[i]!) - Math.log(g[i]!);
            if (score > bestScore) [best, bestScore] = [i, score];
          }
          out[path] = spec.choice[best]!;
        } else {
          const b = numericBounds(spec);
          const l = parzen(goodV.map((v) => b.to(v as number)), b.lo, b.hi);
          const g = parzen(badV.map((v) => b.to(v as number)), b.lo, b.hi);
          let best = l.sample(rng);
          let bestScore = -Infinity;
          for (let c = 0; c < nCandidates; c++) {
            const x = l.sample(rng);
            const score = l.logPdf(x) - g.logPdf(x);
            if (score > bestScore) [best, bestScore] = [x, score];
          }
          out[path] = b.from(best);
        }
      }
      return out;
    },
  };
}
