import { getKernel } from '@tensorflow/tfjs-core';
import { BackendError } from '@omnitrain/core';

/**
 * The kernels that training runs, forward and backward, for the model families Omnitrain trains:
 * dense, conv2d, conv1d, depthwise / separable conv, max and average pooling, embedding, GRU / LSTM,
 * attention, softmax cross-entropy, Adam and SGD: the kernels profiled in one step of each (see
 * gradients.test.ts), plus common activations and `Einsum`. Every one is in the wasm backend once
 * {@link registerWasmTrainingKernels} has run.
 */
export const TRAINING_KERNELS: readonly string[] = [
  'Abs', 'Add', 'AvgPool', 'AvgPoolGrad', 'BatchMatMul', 'Cast', 'ClipByValue', 'Concat', 'Conv2D',
  'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'DepthwiseConv2dNative',
  'DepthwiseConv2dNativeBackpropFilter', 'DepthwiseConv2dNativeBackpropInput', 'Einsum', 'Elu', 'EluGrad',
  'Equal', 'Exp', 'Fill', 'FusedConv2D', 'FusedDepthwiseConv2D', 'GatherV2', 'Greater', 'GreaterEqual',
  'Identity', 'LeakyRelu', 'Less', 'LessEqual', 'Log', 'LogicalAnd', 'Max', 'MaxPool', 'MaxPoolGrad',
  'Maximum', 'Mean', 'Minimum', 'Multiply', 'Neg', 'OneHot', 'OnesLike', 'Pack', 'Pow', 'Prelu', 'RealDiv',
  'Relu', 'Relu6', 'Reshape', 'Rsqrt', 'Select', 'Sigmoid', 'Sign', 'Slice', 'Softmax', 'Softplus', 'SplitV',
  'Sqrt', 'Square', 'Step', 'StridedSlice', 'Sub', 'Sum', 'Tanh', 'Tile', 'Transpose', 'Unpack',
  'UnsortedSegmentSum', 'ZerosLike', '_FusedMatMul',
];

/**
 * The kernels of `names` that `backendName` lacks: tfjs cannot run them there.
 *
 * @param names kernel names; default {@link TRAINING_KERNELS}.
 * @param backendName default `wasm`.
 * @example missingKernels(['Conv2DBackpropFilter']); // ['Conv2DBackpropFilter'] before registering
 */
export function missingKernels(names: Iterable<string> = TRAINING_KERNELS, backendName = 'wasm'): string[] {
  return [...new Set(names)].filter((name) => getKernel(name, backendName) === undefined);
}

/** Options of {@link assertKernels}. */
export interface AssertKernelsOptions {
  /** The backend to check. Default: `wasm`. */
  backendName?: string;
  /** What needs the kernels, for the message: a layer, a model (`layer conv2d_1`). Default: none. */
  where?: string;
}

/**
 * Throws a {@link BackendError} naming every kernel of `names` that the backend lacks, so training
 * stops at once with the reason instead of failing (or falling back to slow code) mid-run.
 *
 * @param names kernel names; default {@link TRAINING_KERNELS}.
 * @example assertKernels(undefined, { where: 'model cnn' }); // before the first step on wasm
 */
export function assertKernels(names: Iterable<string> = TRAINING_KERNELS, options: AssertKernelsOptions = {}): void {
  const backendName = options.backendName ?? 'wasm';
  const missing = missingKernels(names, backendName);
  if (missing.length === 0) return;
  throw new BackendError({
    op: 'assertKernels',
    expected: `every kernel that training needs registered for backend "${backendName}"`,
    received: `no kernel ${missing.join(', ')}`,
    ...(options.where === undefined ? {} : { where: options.where }),
    hint: hintFor(backendName),
  });
}

const KERNEL_NOT_REGISTERED = /Kernel '([^']+)' not registered for backend '([^']+)'/;

/**
 * Turns tfjs's "Kernel 'X' not registered for backend 'Y'" error into a {@link BackendError} that
 * names the kernel, the layer (`where`) and the fix; returns any other error unchanged.
 *
 * @example
 * try { trainStep(); } catch (e) { throw explainKernelError(e, `layer ${layer.name}`); }
 */
export function explainKernelError(error: unknown, where?: string): unknown {
  const match = error instanceof Error ? KERNEL_NOT_REGISTERED.exec(error.message) : null;
  if (match === null) return error;
  return new BackendError({
    op: 'tfjs.runKernel',
    expected: `kernel ${match[1]} registered for backend "${match[2]}"`,
    received: 'none',
    ...(where === undefined ? {} : { where }),
    hint: hintFor(match[2]!),
    cause: error,
  });
}

function hintFor(backendName: string): string {
  return backendName === 'wasm'
    ? 'call registerWasmTrainingKernels() from @omnitrain/wasm-kernels (initBackend does on wasm); a kernel it lacks too needs adding there'
    : `choose another backend, or register the kernel for "${backendName}"`;
}
