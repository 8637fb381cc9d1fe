// The convolutions of the BENCHMARKS.md reference models (cnn, audio2d, audio1d as a 1xW conv2d):
// [name, input NHWC shape, filter [h, w, in, out] shape, padding], shared by the kernel benches.
export const REFERENCE_CONVS = [
  ['cnn conv1 [128,28,28,1] 3x3x16 valid', [128, 28, 28, 1], [3, 3, 1, 16], 'valid'],
  ['cnn conv2 [128,13,13,16] 3x3x32 valid', [128, 13, 13, 16], [3, 3, 16, 32], 'valid'],
  ['audio2d conv1 [64,64,64,1] 3x3x16 same', [64, 64, 64, 1], [3, 3, 1, 16], 'same'],
  ['audio2d conv2 [64,32,32,16] 3x3x32 same', [64, 32, 32, 16], [3, 3, 16, 32], 'same'],
  ['audio2d conv3 [64,16,16,32] 3x3x64 same', [64, 16, 16, 32], [3, 3, 32, 64], 'same'],
  ['audio1d conv1 [64,64,64] k3x128 same', [64, 1, 64, 64], [1, 3, 64, 128], 'same'],
  ['audio1d conv2 [64,32,128] k3x128 same', [64, 1, 32, 128], [1, 3, 128, 128], 'same'],
];
