// The public door of @omnitrain/engine: everything other libs and users may import.

// --- contracts ---
export type { Strategy, StrategyContext, ReduceInfo, ReduceOp } from './strategy/strategy.js';
export type { Batch, TrainableModel } from './model/trainable-model.js';
export type { TrainBatch, BatchSource, EvalSource } from './data/batch-source.js';
