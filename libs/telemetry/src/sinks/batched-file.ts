import type { FileHandle } from 'node:fs/promises';
import { OmnitrainError } from '@omnitrain/core';
import { z } from 'zod';
import { closedSinkError } from './closed-sink-error.js';

/** The batching fields of the file sinks' configs. */
export const batchingConfigFields = {
  flushEvery: z.number().int().min(1).default(64).describe('Write as soon as this many events are pending. Default 64.'),
  flushIntervalMs: z
    .number()
    .min(0)
    .default(1000)
    .describe('Write pending events at most this many ms after the first of them. Default 1000.'),
};

/** Options of {@link BatchedFile}. */
export interface BatchedFileOptions {
  /** The operation named in errors: `telemetry.jsonlSink`. */
  op: string;
  /** The file or folder written, for errors. */
  target: string;
  /** Opens the file for appending; called once, at the first flush. */
  open: () => Promise<FileHandle>;
  /** Write as soon as this many chunks are pending. */
  flushEvery: number;
  /** Write pending chunks at most this long after the first of them was appended. */
  flushIntervalMs: number;
}

/**
 * An append-only file written in batches in the background: `append` only queues, batches go out
 * one at a time in order, and the first write error is kept and thrown by every later `flush` and
 * `close` (nothing more is written after it, so the file never has a hole in the middle).
 * The file sinks (JSONL, TensorBoard) are made of this.
 */
export class BatchedFile {
  readonly #options: BatchedFileOptions;
  #pending: Uint8Array[] = [];
  #handle: FileHandle | undefined;
  #chain: Promise<void> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #error: unknown;
  #closed = false;

  constructor(options: BatchedFileOptions) {
    this.#options = options;
  }

  /** Queues `bytes`; throws once the file is closed. */
  append(bytes: Uint8Array): void {
    if (this.#closed) {
      throw closedSinkError(this.#options.op, this.#options.target);
    }
    this.#pending.push(bytes);
    if (this.#pending.length >= this.#options.flushEvery) void this.#startFlush();
    else this.#timer ??= setTimeout(() => void this.#startFlush(), this.#options.flushIntervalMs).unref();
  }

  /** Writes every chunk appended so far. */
  async flush(): Promise<void> {
    await this.#startFlush();
    this.#throwIfFailed();
  }

  /** Flushes, syncs and closes the file; later calls only report an earlier failure. */
  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      await this.#startFlush();
      this.#chain = this.#chain.then(() => this.#release()).catch((error: unknown) => this.#fail(error));
    }
    await this.#chain;
    this.#throwIfFailed();
  }

  #startFlush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#pending;
    this.#pending = [];
    if (batch.length > 0) {
      this.#chain = this.#chain.then(() => this.#write(batch)).catch((error: unknown) => this.#fail(error));
    }
    return this.#chain;
  }

  async #write(batch: Uint8Array[]): Promise<void> {
    if (this.#error !== undefined) return;
    this.#handle ??= await this.#options.open();
    const bytes = Buffer.concat(batch);
    for (let at = 0; at < bytes.byteLength; ) {
      const { bytesWritten } = await this.#handle.write(bytes, at, bytes.byteLength - at);
      at += bytesWritten;
    }
  }

  async #release(): Promise<void> {
    const handle = this.#handle;
    this.#handle = undefined;
    if (handle === undefined) return;
    try {
      if (this.#error === undefined) await handle.sync();
    } finally {
      await handle.close();
    }
  }

  #fail(error: unknown): void {
    if (this.#error !== undefined) return;
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    this.#error = new OmnitrainError({
      op: `${this.#options.op}.write`,
      expected: 'to append telemetry to the file',
      received: `${code} (${(error as Error).message})`,
      where: this.#options.target,
      hint: 'events after this failure are not written; check the disk and the directory',
      cause: error,
    });
  }

  #throwIfFailed(): void {
    if (this.#error !== undefined) throw this.#error;
  }
}
