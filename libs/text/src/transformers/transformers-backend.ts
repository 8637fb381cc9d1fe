// The only file that imports transformers.js: moving to @huggingface/transformers changes this file.
import { basename, dirname, resolve, sep } from 'node:path';
import type { PreTrainedTokenizer } from '@xenova/transformers';
import type { SpecialTokenIds } from '../tokenizer/tokenizer.js';

type TransformersModule = typeof import('@xenova/transformers');

/** The environment variable naming the default model root. */
export const MODEL_ROOT_ENV = 'OMNITRAIN_MODEL_ROOT';

/** Options of {@link initTransformers}. */
export interface InitTransformersOptions {
  /** The folder holding model folders (`<root>/bert-base-uncased/tokenizer.json`). Default: unchanged (see {@link defaultModelRoot}). */
  modelRoot?: string;
}

/** transformers.js settings that decide where files come from, as {@link initTransformers} left them. */
export interface TransformersEnvInfo {
  /** Always false: nothing is fetched from a model hub. */
  allowRemoteModels: boolean;
  allowLocalModels: boolean;
  /** The model root, with a trailing separator. */
  localModelPath: string;
  /** Always false: the library's download cache is neither read nor written. */
  useFSCache: boolean;
  useBrowserCache: boolean;
}

/** A loaded transformers.js tokenizer, as Omnitrain uses it. */
export interface HfTokenizer {
  /** Ids of `text`; a token outside the vocabulary of a tokenizer without an unknown token is `undefined`. */
  encode(text: string, addSpecialTokens: boolean): Array<number | undefined>;
  decode(ids: number[], skipSpecialTokens: boolean): string;
  readonly vocabSize: number;
  tokenToId(token: string): number | undefined;
  idToToken(id: number): string | undefined;
  readonly specialTokens: SpecialTokenIds;
  readonly specialIds: readonly number[];
  /** `model_max_length` of tokenizer_config.json, when it is a real limit. */
  readonly modelMaxLength: number | undefined;
}

let module: Promise<TransformersModule> | undefined;
let root: string | undefined;
let queue: Promise<unknown> = Promise.resolve();

/**
 * The folder model names resolve against: the one given to {@link initTransformers}, else
 * `$OMNITRAIN_MODEL_ROOT`, else `./models` (both resolved against the working folder).
 *
 * @example defaultModelRoot() // '/home/me/project/models'
 */
export function defaultModelRoot(): string {
  return root ?? resolve(process.env[MODEL_ROOT_ENV] || 'models');
}

function lockOffline(env: TransformersModule['env'], modelRoot: string): void {
  env.allowRemoteModels = false;
  env.allowLocalModels = true;
  env.useBrowserCache = false;
  env.useFSCache = false; // its cache folder could hold stale downloads; the model folder is the only source
  env.localModelPath = modelRoot.endsWith(sep) ? modelRoot : modelRoot + sep;
}

function transformers(): Promise<TransformersModule> {
  // Imported on first use: the built-in tokenizer never pays for transformers.js and onnxruntime.
  module ??= import('@xenova/transformers').then((m) => {
    lockOffline(m.env, defaultModelRoot());
    return m;
  });
  return module;
}

/**
 * Library init for transformers.js: turns remote loading off (`env.allowRemoteModels = false`,
 * no download cache) and sets `env.localModelPath` to the model root. Loading calls it too, so it
 * is needed only to set the root; calling it again is harmless.
 *
 * @param options The model root (default: unchanged, see {@link defaultModelRoot}).
 * @returns The settings now in force.
 * @example
 * const env = await initTransformers({ modelRoot: '/data/models' });
 * env.allowRemoteModels; // false
 */
export async function initTransformers(options: InitTransformersOptions = {}): Promise<TransformersEnvInfo> {
  if (options.modelRoot !== undefined) root = resolve(options.modelRoot);
  const { env } = await transformers();
  lockOffline(env, defaultModelRoot());
  const { allowRemoteModels, allowLocalModels, localModelPath, useFSCache, useBrowserCache } = env;
  return { allowRemoteModels, allowLocalModels, localModelPath: String(localModelPath), useFSCache, useBrowserCache };
}

/** Runs loads one at a time: each points the library's global `env.localModelPath` at its own folder. */
function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Loads the tokenizer of a local model folder with transformers.js' `AutoTokenizer`, remote
 * loading off and `local_files_only` on.
 *
 * @param folder Absolute path of the folder with tokenizer.json and tokenizer_config.json.
 * @throws whatever transformers.js throws (missing file, malformed JSON, unsupported model).
 */
export async function loadHfTokenizer(folder: string): Promise<HfTokenizer> {
  const { env, AutoTokenizer } = await transformers();
  const tok = await exclusive(async () => {
    lockOffline(env, dirname(folder));
    try {
      return await AutoTokenizer.from_pretrained(basename(folder), { local_files_only: true });
    } finally {
      lockOffline(env, defaultModelRoot());
    }
  });
  return adapt(tok);
}

function adapt(tok: PreTrainedTokenizer): HfTokenizer {
  const vocab = tok.model.tokens_to_ids;
  const idOf = (key: string): number | undefined => {
    const token = tok.getToken(key);
    return token === null ? undefined : vocab.get(token);
  };
  const candidates: SpecialTokenIds = {
    pad: tok.pad_token_id,
    unk: tok.unk_token_id,
    bos: idOf('bos_token'),
    eos: idOf('eos_token'),
    cls: idOf('cls_token'),
    sep: tok.sep_token_id,
    mask: tok.mask_token_id,
  };
  const specialTokens = Object.fromEntries(
    Object.entries(candidates).filter(([, id]) => typeof id === 'number'),
  ) as SpecialTokenIds;
  const maxLength = Number(tok.model_max_length);
  return {
    encode: (text, addSpecialTokens) => tok.encode(text, null, { add_special_tokens: addSpecialTokens }),
    decode: (ids, skipSpecialTokens) => tok.decode(ids, { skip_special_tokens: skipSpecialTokens }),
    vocabSize: tok.model.vocab.length,
    tokenToId: (token) => vocab.get(token),
    idToToken: (id) => tok.model.vocab[id],
    specialTokens,
    specialIds: [...new Set(tok.all_special_ids)].sort((a, b) => a - b),
    // Hugging Face writes a huge sentinel (1e30) when a model has no limit.
    modelMaxLength: Number.isSafeInteger(maxLength) && maxLength > 0 ? maxLength : undefined,
  };
}
