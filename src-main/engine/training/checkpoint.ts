/**
 * Checkpoints: a folder holding everything needed to rebuild a model and resume its training.
 *
 *     DIR/config.json     {format, version, kind, config, stateDim, seed, epoch, step, optimizer, training, metrics}
 *     DIR/parameters.npz  one float32 array per parameter, keyed by its path ('psi.layers.0.W')
 *     DIR/optimizer.npz   Adam's moments ('PATH.m', 'PATH.v') and its step count ('step')
 *
 * The .npz files are plain numpy archives (np.load reads them). Files are written under a temporary
 * name and renamed, so a crash mid-save leaves the previous checkpoint intact file by file.
 * `bundleCheckpoint` packs the three files into one zip, DIR/checkpoint.zip (a run store keeps one
 * file per artifact); `loadCheckpoint` reads either form.
 */
import * as tf from '@tensorflow/tfjs-core';
import { unzipSync, zipSync } from 'fflate';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { readNpz, writeNpz } from '../../data/npz';
import type { NdArray } from '../../data/npy';
import { createModel } from '../models/registry';
import type { Model } from '../models/types';
import { Adam, type AdamHyperparameters } from '../optim/adam';

export const CHECKPOINT_FORMAT = 'ngf-workbench-checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointMeta {
  format: typeof CHECKPOINT_FORMAT;
  version: number;
  kind: string;
  config: object;
  stateDim: number;
  /** Seed the model was initialised with. */
  seed: number;
  /** Epochs and optimizer steps done. */
  epoch: number;
  step: number;
  optimizer: AdamHyperparameters & { name: 'adam' };
  /** Free-form training settings (batch size, shuffle seed, datasets), for resuming and display. */
  training: Record<string, unknown>;
  /** Figures of the last epoch, if any. */
  metrics: unknown;
}

async function writeAtomic(file: string, bytes: Uint8Array | string): Promise<void> {
  const tmp = `${file}.tmp-${process.pid}`;
  await writeFile(tmp, bytes);
  await rename(tmp, file);
}

/** Saves model parameters, optimizer state and metadata into `dir` (created if needed). */
export async function saveCheckpoint(
  dir: string,
  model: Model,
  optimizer: Adam,
  info: { seed: number; epoch: number; step: number; training?: Record<string, unknown>; metrics?: unknown },
): Promise<void> {
  await mkdir(dir, { recursive: true });
  const parameters: Record<string, NdArray> = {};
  for (const p of model.parameters) {
    parameters[p.path] = { dtype: 'float32', shape: [...p.variable.shape], data: p.variable.dataSync() as Float32Array };
  }
  const meta: CheckpointMeta = {
    format: CHECKPOINT_FORMAT,
    version: CHECKPOINT_VERSION,
    kind: model.kind,
    config: model.config,
    stateDim: model.stateDim,
    seed: info.seed,
    epoch: info.epoch,
    step: info.step,
    optimizer: { name: 'adam', ...optimizer.hyper },
    training: info.training ?? {},
    metrics: info.metrics ?? null,
  };
  await writeAtomic(path.join(dir, 'parameters.npz'), writeNpz(parameters));
  await writeAtomic(path.join(dir, 'optimizer.npz'), writeNpz(optimizer.stateArrays()));
  await writeAtomic(path.join(dir, 'config.json'), JSON.stringify(meta, null, 2) + '\n');
}

function field<T>(meta: Record<string, unknown>, key: string, check: (v: unknown) => boolean, what: string, source: string): T {
  if (!check(meta[key])) throw new Error(`${source}: field '${key}' must be ${what}, got ${JSON.stringify(meta[key])}`);
  return meta[key] as T;
}

const FILES = ['config.json', 'parameters.npz', 'optimizer.npz'] as const;
type CheckpointFiles = Record<(typeof FILES)[number], { bytes: Uint8Array; name: string }>;

async function readBytes(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (err) {
    throw new Error(`${file}: cannot read (${err instanceof Error ? err.message : String(err)})`);
  }
}

/** The three files of a checkpoint folder, or of a bundle made by `bundleCheckpoint`. */
async function readCheckpointFiles(location: string): Promise<CheckpointFiles> {
  const isDir = await stat(location).then((s) => s.isDirectory(), () => true);
  const out: Partial<CheckpointFiles> = {};
  if (isDir) {
    for (const name of FILES) out[name] = { bytes: await readBytes(path.join(location, name)), name: path.join(location, name) };
    return out as CheckpointFiles;
  }
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(await readBytes(location));
  } catch (err) {
    throw new Error(`${location}: not a checkpoint folder or bundle (${err instanceof Error ? err.message : String(err)})`);
  }
  for (const name of FILES) {
    if (!entries[name]) throw new Error(`${location}: the checkpoint bundle has no ${name}`);
    out[name] = { bytes: entries[name]!, name: `${location}:${name}` };
  }
  return out as CheckpointFiles;
}

/** Packs DIR's checkpoint files into DIR/checkpoint.zip and returns that path. */
export async function bundleCheckpoint(dir: string): Promise<string> {
  const files = await readCheckpointFiles(dir);
  const zipped = zipSync(Object.fromEntries(FILES.map((name) => [name, [files[name].bytes, { level: 0 }]])), { mtime: new Date(1980, 0, 2) });
  const file = path.join(dir, 'checkpoint.zip');
  await writeAtomic(file, zipped);
  return file;
}

function parseMeta(bytes: Uint8Array, file: string): CheckpointMeta {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new Error(`${file}: not a readable checkpoint config (${err instanceof Error ? err.message : String(err)})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${file}: must hold a JSON object`);
  const meta = raw as Record<string, unknown>;
  const isInt = (v: unknown) => Number.isInteger(v) && (v as number) >= 0;
  field(meta, 'format', (v) => v === CHECKPOINT_FORMAT, `'${CHECKPOINT_FORMAT}'`, file);
  field(meta, 'version', (v) => v === CHECKPOINT_VERSION, String(CHECKPOINT_VERSION), file);
  field(meta, 'kind', (v) => typeof v === 'string', 'a model kind', file);
  field(meta, 'config', (v) => typeof v === 'object' && v !== null, 'an object', file);
  field(meta, 'stateDim', (v) => isInt(v) && (v as number) > 0, 'a whole number >= 1', file);
  field(meta, 'seed', Number.isInteger, 'a whole number', file);
  field(meta, 'epoch', isInt, 'a whole number >= 0', file);
  field(meta, 'step', isInt, 'a whole number >= 0', file);
  const opt = field<Record<string, unknown>>(meta, 'optimizer', (v) => typeof v === 'object' && v !== null, 'an object', file);
  for (const key of ['lr', 'beta1', 'beta2', 'eps']) field(opt, key, (v) => typeof v === 'number' && Number.isFinite(v), 'a number', `${file} optimizer`);
  return { training: {}, metrics: null, ...meta } as unknown as CheckpointMeta;
}

/** Reads and checks the metadata (config.json) of a checkpoint folder or bundle. */
export async function readCheckpointMeta(location: string): Promise<CheckpointMeta> {
  const files = await readCheckpointFiles(location);
  return parseMeta(files['config.json'].bytes, files['config.json'].name);
}

/** Copies saved arrays into the model's parameters; errors name the file, key and shapes. */
export function assignParameters(model: Model, arrays: Map<string, NdArray>, source: string): void {
  for (const p of model.parameters) {
    const a = arrays.get(p.path);
    if (!a) throw new Error(`${source}: parameter '${p.path}' is missing`);
    if (a.shape.join(',') !== p.variable.shape.join(',')) {
      throw new Error(`${source}: parameter '${p.path}' has shape [${a.shape}], the model expects [${p.variable.shape}]`);
    }
    if (a.dtype !== 'float32' && a.dtype !== 'float64') throw new Error(`${source}: parameter '${p.path}' has dtype ${a.dtype}, expected float32`);
  }
  tf.tidy(() => {
    for (const p of model.parameters) p.variable.assign(tf.tensor(Float32Array.from(arrays.get(p.path)!.data as Float32Array), p.variable.shape));
  });
}

export interface LoadedCheckpoint {
  meta: CheckpointMeta;
  model: Model;
  optimizer: Adam;
}

/**
 * Rebuilds the model (config, parameters) and its optimizer (state) from a checkpoint folder or
 * bundle; `lr` overrides the saved learning rate, `threads` is the model's (see ModelInit).
 */
export async function loadCheckpoint(location: string, options: { lr?: number; threads?: number } = {}): Promise<LoadedCheckpoint> {
  const files = await readCheckpointFiles(location);
  const meta = parseMeta(files['config.json'].bytes, files['config.json'].name);
  const model = createModel(meta.kind, meta.config, { stateDim: meta.stateDim, seed: meta.seed, threads: options.threads });
  try {
    const params = files['parameters.npz'];
    assignParameters(model, readNpz(params.bytes, params.name), params.name);
    const { lr, beta1, beta2, eps } = meta.optimizer;
    const optimizer = new Adam(model.parameters, { lr: options.lr ?? lr, beta1, beta2, eps });
    const state = files['optimizer.npz'];
    try {
      optimizer.loadStateArrays(readNpz(state.bytes, state.name), state.name);
    } catch (err) {
      optimizer.dispose();
      throw err;
    }
    return { meta, model, optimizer };
  } catch (err) {
    model.dispose();
    throw err;
  }
}
