import type { FeatureTransform, FeatureTransformConfig } from './feature-transform.js';
import { selectColumns } from './select-columns.js';

/** What every column selector's config holds: the input width and the kept columns. */
export interface ColumnSelectorConfig extends FeatureTransformConfig {
  /** Features per input row. */
  features: number;
  /** Indices of the kept features, ascending. */
  selected: number[];
}

/**
 * The shared part of fitted feature selectors: they keep `selected` columns of `[rows, features]`
 * rows and serialize their config. Subclasses decide what to keep.
 */
export abstract class ColumnSelector<C extends ColumnSelectorConfig> implements FeatureTransform {
  protected readonly config: C;

  protected constructor(config: C) {
    this.config = config;
  }

  get kind(): string {
    return this.config.kind;
  }

  get inputWidth(): number {
    return this.config.features;
  }

  /** Indices of the kept features, ascending. */
  get selected(): readonly number[] {
    return this.config.selected;
  }

  transform(x: Float32Array): Float32Array {
    return selectColumns(x, this.config.features, this.config.selected);
  }

  getConfig(): C {
    return structuredClone(this.config);
  }
}
