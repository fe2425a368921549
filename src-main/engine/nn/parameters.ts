/**
 * Named trainable parameters.
 *
 * A model's parameters are a flat list of `{ path, variable }`: `path` is the model-relative name
 * ('psi.layers.0.W'), stable across processes and used by checkpoints; `variable.name` is TF.js's
 * process-wide registry key (`scope/path`, made unique with a numeric suffix if another live model
 * already uses it), which is what `tf.variableGrads` keys its gradients by.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface Parameter {
  /** Model-relative path, e.g. 'g.layers.2.b'. */
  path: string;
  variable: tf.Variable;
}

/** A TF.js variable name that no live variable holds: `base`, else `base#2`, `base#3`, ... */
function freeVariableName(base: string): string {
  const registered = tf.engine().registeredVariables;
  if (!(base in registered)) return base;
  for (let i = 2; ; i++) if (!(`${base}#${i}` in registered)) return `${base}#${i}`;
}

/** A trainable float32 variable holding `values` (shape `shape`) registered as `scope/path`. */
export function createParameter(scope: string, path: string, values: Float32Array, shape: readonly number[]): Parameter {
  const size = shape.reduce((n, d) => n * d, 1);
  if (values.length !== size) {
    throw new Error(`parameter ${path}: ${values.length} values do not fill shape [${shape.join(', ')}]`);
  }
  // The variable copies the initial tensor's data; dispose that tensor so it does not leak.
  const initial = tf.tensor(values, [...shape], 'float32');
  const variable = tf.variable(initial, true, freeVariableName(`${scope}/${path}`), 'float32');
  initial.dispose();
  return { path, variable };
}

/**
 * Gradients from `tf.variableGrads` keyed by parameter path. Throws naming every parameter that got
 * no gradient: variableGrads silently drops variables the loss cannot reach, which would otherwise
 * freeze them without a word.
 */
export function gradientsByPath(parameters: readonly Parameter[], grads: tf.NamedTensorMap): Map<string, tf.Tensor> {
  const missing = parameters.filter((p) => !(p.variable.name in grads)).map((p) => p.path);
  if (missing.length > 0) throw new Error(`no gradient reached parameter(s): ${missing.join(', ')}`);
  return new Map(parameters.map((p) => [p.path, grads[p.variable.name]!]));
}
