/** The compute backends Omnitrain can run on, fastest first. */
export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu';

/** How to load one backend: which package registers it and under which tfjs backend name. */
export interface BackendCandidate {
  name: BackendName;
  /** The npm package whose import registers the backend with tfjs-core. */
  packageName: string;
  /** The name the package registers with tfjs (`tf.setBackend(...)`). */
  tfjsName: string;
  /** How a user gets the package, for the error when it is missing. */
  install: string;
}

/** Every backend in the default order: the first that loads wins. */
export const BACKEND_CANDIDATES: readonly BackendCandidate[] = [
  {
    name: 'tensorflow-gpu',
    packageName: '@tensorflow/tfjs-node-gpu',
    tfjsName: 'tensorflow',
    install:
      'npm install @tensorflow/tfjs-node-gpu@4.22.0 (Linux x64, CUDA 11.2 + cuDNN 8.1; its install script downloads libtensorflow, so the machine must reach storage.googleapis.com)',
  },
  {
    name: 'tensorflow',
    packageName: '@tensorflow/tfjs-node',
    tfjsName: 'tensorflow',
    install:
      'npm install @tensorflow/tfjs-node@4.22.0 (its install script downloads libtensorflow, so the machine must reach storage.googleapis.com)',
  },
  {
    name: 'wasm',
    packageName: '@tensorflow/tfjs-backend-wasm',
    tfjsName: 'wasm',
    install: 'npm install @tensorflow/tfjs-backend-wasm@4.22.0 (the .wasm files ship in the package)',
  },
  {
    name: 'cpu',
    packageName: '@tensorflow/tfjs-backend-cpu',
    tfjsName: 'cpu',
    install: 'npm install @tensorflow/tfjs-backend-cpu@4.22.0',
  },
];

/** The names accepted by `initBackend({ backend })` and `OMNITRAIN_BACKEND`. */
export const BACKEND_NAMES: readonly BackendName[] = BACKEND_CANDIDATES.map((c) => c.name);
