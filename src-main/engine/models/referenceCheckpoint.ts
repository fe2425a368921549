/**
 * Import of the reference implementation's checkpoints: `NAME.eqx` and `NAME_high_level_params.json`
 * next to it (format: /work/shared/reference/README.md).
 *
 * The .eqx file is .npy blobs back to back (equinox's tree_serialise_leaves):
 *   psi: W, b per layer, then the values of psi_arguments in sorted-key order as int64 scalars (a
 *        list contributes one scalar per element); phi: the same;
 *   g:   W, b per layer, then g.dim_M, then the g arguments in sorted-key order;
 *   then dim_dataspace and dim_M.
 * The json names the network classes and their arguments, from which the expected blob count and
 * every shape follow; anything that does not match is an error naming the file and the blob.
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { NgfConfig } from '../../../src-shared/hyperparams';
import { formatShape, parseNpy, type NdArray } from '../../data/npy';
import { diffeomorphismLayerSizes, isDiffeomorphismKind, type DiffeomorphismKind } from '../nn/diffeomorphism';
import { isMetricKind, metricLayerSizes, type MetricKind } from '../nn/metricNetwork';
import { DIFFEOMORPHISM_KIND_OF, METRIC_KIND_OF, NeuralGeodesicFlow } from './ngf';

/** Steps from input to target the reference uses for input/target data. */
export const REFERENCE_GEODESIC_STEPS = 49;

export class ReferenceCheckpointError extends Error {
  constructor(
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = 'ReferenceCheckpointError';
  }
}

/** One network as the json describes it. */
interface NetworkSpec {
  role: 'psi' | 'phi' | 'g';
  kind: DiffeomorphismKind | MetricKind;
  layerSizes: number[];
  /** The argument values in the order the .eqx stores them. */
  argumentScalars: number[];
}

export interface ReferenceCheckpoint {
  /** The equivalent config of our model (geodesicSteps = 49). */
  config: NgfConfig;
  stateDim: number;
  /** Parameter path -> row-major float32 values. */
  parameters: Map<string, Float32Array>;
}

function reverseLookup<K extends string, V extends string>(table: Record<K, V>, value: V): K {
  return (Object.keys(table) as K[]).find((key) => table[key] === value)!;
}

/** Parses the high-level params json into network specs; `file` names the json in errors. */
function readParams(json: unknown, file: string): { D: number; m: number; nets: NetworkSpec[] } {
  const fail = (detail: string): never => {
    throw new ReferenceCheckpointError(file, detail);
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail('expected a JSON object');
  const params = json as Record<string, unknown>;
  const positiveInt = (value: unknown, key: string): number =>
    Number.isInteger(value) && (value as number) > 0 ? (value as number) : fail(`'${key}' must be a positive integer, got ${JSON.stringify(value)}`);
  const D = positiveInt(params.dim_dataspace, 'dim_dataspace');
  const m = positiveInt(params.dim_M, 'dim_M');
  const args = (key: string): Record<string, unknown> => {
    const value = params[key];
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`'${key}' must be an object`);
    return value as Record<string, unknown>;
  };
  const hidden = (a: Record<string, unknown>, key: string, owner: string): number[] => {
    const value = a[key];
    if (!Array.isArray(value)) fail(`'${owner}.${key}' must be a list of layer widths`);
    return (value as unknown[]).map((w, i) => positiveInt(w, `${owner}.${key}[${i}]`));
  };
  /** The argument values flattened in sorted-key order, as the .eqx stores them. */
  const scalars = (a: Record<string, unknown>, owner: string): number[] =>
    Object.keys(a)
      .sort()
      .flatMap((key) => (Array.isArray(a[key]) ? hidden(a, key, owner) : [positiveInt(a[key], `${owner}.${key}`)]));

  const nets: NetworkSpec[] = [];
  for (const role of ['psi', 'phi'] as const) {
    const kind = params[`${role}_neural_network_classname`];
    if (typeof kind !== 'string' || !isDiffeomorphismKind(kind)) {
      fail(`unknown network kind ${JSON.stringify(kind)} for ${role} (${role}_neural_network_classname); supported: NN_diffeomorphism, NN_diffeomorphism_for_chart, NN_Jacobian_split_diffeomorphism, NN_Jacobian_split_diffeomorphism_for_chart`);
    }
    const a = args(`${role}_arguments`);
    const [inSize, outSize] = role === 'psi' ? [D, 2 * m] : [2 * m, D];
    if (a.in_size !== inSize || a.out_size !== outSize) {
      fail(`${role}_arguments: in_size ${JSON.stringify(a.in_size)} and out_size ${JSON.stringify(a.out_size)} do not match dim_dataspace ${D} and dim_M ${m} (expected ${inSize} -> ${outSize})`);
    }
    const hiddenKey = 'hidden_sizes_x' in a ? 'hidden_sizes_x' : 'hidden_sizes';
    const layerSizes = diffeomorphismLayerSizes({ kind: kind as DiffeomorphismKind, inSize, outSize, hiddenSizes: hidden(a, hiddenKey, `${role}_arguments`) });
    nets.push({ role, kind: kind as DiffeomorphismKind, layerSizes, argumentScalars: scalars(a, `${role}_arguments`) });
  }
  const gKind = params.g_neural_network_classname;
  if (typeof gKind !== 'string' || !isMetricKind(gKind)) {
    fail(`unknown network kind ${JSON.stringify(gKind)} for g (g_neural_network_classname); supported: NN_metric, NN_metric_regularized`);
  }
  const ga = args('g_arguments');
  if (ga.dim_M !== m) fail(`g_arguments.dim_M ${JSON.stringify(ga.dim_M)} differs from dim_M ${m}`);
  nets.push({
    role: 'g',
    kind: gKind as MetricKind,
    layerSizes: metricLayerSizes({ kind: gKind as MetricKind, dim: m, hiddenSizes: hidden(ga, 'hidden_sizes', 'g_arguments') }),
    // g.dim_M comes before the sorted arguments.
    argumentScalars: [m, ...scalars(ga, 'g_arguments')],
  });
  return { D, m, nets };
}

/** All .npy blobs of an .eqx file. */
function readBlobs(bytes: Uint8Array, file: string): NdArray[] {
  const blobs: NdArray[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    const { array, end } = parseNpy(bytes, offset, `${file} (blob ${blobs.length + 1})`);
    blobs.push(array);
    offset = end;
  }
  return blobs;
}

/**
 * Reads a checkpoint from the bytes of the .eqx file and the parsed json. `eqxFile` and `jsonFile`
 * name them in errors.
 */
export function parseReferenceCheckpoint(eqx: Uint8Array, json: unknown, eqxFile: string, jsonFile: string): ReferenceCheckpoint {
  const { D, m, nets } = readParams(json, jsonFile);
  const blobs = readBlobs(eqx, eqxFile);
  const expected = nets.reduce((n, net) => n + 2 * (net.layerSizes.length - 1) + net.argumentScalars.length, 0) + 2;
  if (blobs.length !== expected) {
    throw new ReferenceCheckpointError(eqxFile, `has ${blobs.length} .npy blobs but ${jsonFile} describes ${expected}`);
  }
  const parameters = new Map<string, Float32Array>();
  let next = 0;
  const take = (what: string, shape: number[], dtype: 'float32' | 'int64'): NdArray => {
    const blob = blobs[next++]!;
    const shapeOk = blob.shape.length === shape.length && blob.shape.every((d, i) => d === shape[i]);
    if (!shapeOk || blob.dtype !== dtype) {
      throw new ReferenceCheckpointError(
        eqxFile,
        `blob ${next} (${what}) should be ${dtype} ${formatShape(shape)} according to ${jsonFile}, got ${blob.dtype} ${formatShape(blob.shape)}`,
      );
    }
    return blob;
  };
  const takeScalar = (what: string, value: number) => {
    const got = Number((take(what, [], 'int64').data as BigInt64Array)[0]);
    if (got !== value) throw new ReferenceCheckpointError(eqxFile, `blob ${next} (${what}) is ${got}, ${jsonFile} says ${value}`);
  };
  for (const net of nets) {
    for (let l = 0; l + 1 < net.layerSizes.length; l++) {
      const [fanIn, fanOut] = [net.layerSizes[l]!, net.layerSizes[l + 1]!];
      parameters.set(`${net.role}.layers.${l}.W`, take(`${net.role} layer ${l} W`, [fanOut, fanIn], 'float32').data as Float32Array);
      parameters.set(`${net.role}.layers.${l}.b`, take(`${net.role} layer ${l} b`, [fanOut], 'float32').data as Float32Array);
    }
    net.argumentScalars.forEach((value, i) => takeScalar(`${net.role} argument ${i + 1}`, value));
  }
  takeScalar('dim_dataspace', D);
  takeScalar('dim_M', m);

  const [psi, phi, g] = nets as [NetworkSpec, NetworkSpec, NetworkSpec];
  const hiddenOf = (net: NetworkSpec) => net.layerSizes.slice(1, -1);
  const config: NgfConfig = {
    dimM: m,
    encoder: reverseLookup(DIFFEOMORPHISM_KIND_OF, psi.kind as DiffeomorphismKind),
    encoderHidden: hiddenOf(psi),
    decoder: reverseLookup(DIFFEOMORPHISM_KIND_OF, phi.kind as DiffeomorphismKind),
    decoderHidden: hiddenOf(phi),
    metric: reverseLookup(METRIC_KIND_OF, g.kind as MetricKind),
    metricHidden: hiddenOf(g),
    geodesicSteps: REFERENCE_GEODESIC_STEPS,
  };
  return { config, stateDim: D, parameters };
}

/** The json that belongs to NAME.eqx: NAME_high_level_params.json in the same folder. */
export function highLevelParamsPath(eqxPath: string): string {
  if (!eqxPath.endsWith('.eqx')) throw new ReferenceCheckpointError(basename(eqxPath), 'a reference checkpoint must be a .eqx file');
  return `${eqxPath.slice(0, -'.eqx'.length)}_high_level_params.json`;
}

/** Loads NAME.eqx (+ NAME_high_level_params.json, or the given json) as an NGF model. */
export async function loadReferenceModel(eqxPath: string, jsonPath = highLevelParamsPath(eqxPath)): Promise<NeuralGeodesicFlow> {
  const [eqxFile, jsonFile] = [basename(eqxPath), basename(jsonPath)];
  const read = async (path: string, file: string) => {
    try {
      return await readFile(path);
    } catch (err) {
      throw new ReferenceCheckpointError(file, `cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
  const eqx = new Uint8Array(await read(eqxPath, eqxFile));
  let json: unknown;
  try {
    json = JSON.parse((await read(jsonPath, jsonFile)).toString('utf8'));
  } catch (err) {
    if (err instanceof ReferenceCheckpointError) throw err;
    throw new ReferenceCheckpointError(jsonFile, `is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const checkpoint = parseReferenceCheckpoint(eqx, json, eqxFile, jsonFile);
  const model = new NeuralGeodesicFlow(checkpoint.config, { stateDim: checkpoint.stateDim, seed: 0 });
  model.assignParameters(checkpoint.parameters, eqxFile);
  return model;
}
