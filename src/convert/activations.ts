import { UnsupportedError } from '../errors.js';

/**
 * The activations transformers' ACT2FN maps config.hidden_act to, as (a) float64 math for the
 * reference pass and (b) a recipe of plain ONNX ops. Exact forms matter: gelu (erf) and gelu_new
 * (tanh) differ by up to 1e-3 on these models.
 */
export type ActivationName = 'gelu' | 'gelu_new' | 'relu' | 'silu' | 'quick_gelu' | 'tanh' | 'sigmoid';

const ALIASES: Readonly<Record<string, ActivationName>> = {
  gelu: 'gelu', gelu_python: 'gelu', gelu_new: 'gelu_new', gelu_pytorch_tanh: 'gelu_new', gelu_fast: 'gelu_new',
  relu: 'relu', silu: 'silu', swish: 'silu', quick_gelu: 'quick_gelu', tanh: 'tanh', sigmoid: 'sigmoid',
};

export function activationOf(hiddenAct: string): ActivationName {
  const act = ALIASES[hiddenAct];
  if (act === undefined) {
    throw new UnsupportedError(`config.json hidden_act "${hiddenAct}" is not supported; albench knows ${Object.keys(ALIASES).join(', ')}`);
  }
  return act;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

function erf(x: number): number {
  // Abramowitz-Stegun 7.1.26 is only 1e-7 accurate; a float64 reference needs better, so use
  // the series for small |x| and the continued fraction of erfc for large |x|.
  const ax = Math.abs(x);
  if (ax < 2.5) {
    let sum = x;
    let term = x;
    const x2 = x * x;
    for (let n = 1; n < 60; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  let f = 0;
  for (let n = 60; n >= 1; n--) f = (n / 2) / (ax + f);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + f);
  return Math.sign(x) * (1 - erfc);
}

export function activate(act: ActivationName, x: number): number {
  switch (act) {
    case 'gelu': return 0.5 * x * (1 + erf(x / Math.SQRT2));
    case 'gelu_new': return 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
    case 'relu': return x > 0 ? x : 0;
    case 'silu': return x / (1 + Math.exp(-x));
    case 'quick_gelu': return x / (1 + Math.exp(-1.702 * x));
    case 'tanh': return Math.tanh(x);
    case 'sigmoid': return 1 / (1 + Math.exp(-x));
  }
}
