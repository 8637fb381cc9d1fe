// The contract of the fused GELU kernels. Code that cannot import this package dispatches by these
// names through tfjs's kernel registry, so the strings are public API.

/** Kernel name of the fused GELU (tanh approximation): input `x`, output `gelu(x)`, float32. */
export const GELU = 'OmnitrainGelu';
/** Kernel name of its gradient: inputs `x` and `dy`, output `dy * gelu'(x)`, float32. */
export const GELU_GRAD = 'OmnitrainGeluGrad';
