/**
 * Option parsing shared by the CLI commands: `--name VALUE` options and `--name` flags, with the
 * same messages everywhere (`CMD: option --x needs a value`, `CMD: unknown option '--x'`,
 * `CMD: --x needs a whole number >= 1, got 'y'`). A bad command line throws a {@link UsageError};
 * a command catches it, prints the message and exits with code 2.
 */

/** A bad command line (exit code 2), as opposed to a failure while running (exit code 1). */
export class UsageError extends Error {}

export interface OptionSpec {
  /** Options that take the next argument as their value. */
  values: readonly string[];
  /** Options that take no value. */
  flags?: readonly string[];
  /** Appended to the unknown-option message, e.g. the options that are known. */
  unknownHint?: string;
}

export interface ParsedOptions {
  /** Each value option given, with its (last) value. */
  values: Map<string, string>;
  /** The flags given. */
  flags: Set<string>;
}

/** Splits `args` into value options and flags; anything else is a {@link UsageError} naming it. */
export function parseOptions(command: string, args: readonly string[], spec: OptionSpec): ParsedOptions {
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < args.length; i++) {
    const option = args[i]!;
    if (spec.flags?.includes(option)) flags.add(option);
    else if (spec.values.includes(option)) {
      const value = args[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`${command}: option ${option} needs a value`);
      values.set(option, value);
    } else throw new UsageError(`${command}: unknown option '${option}'${spec.unknownHint ?? ''}`);
  }
  return { values, flags };
}

/**
 * The number given for `option` (undefined when absent): finite, a whole number if `integer`, and
 * at least `min`; otherwise a {@link UsageError} naming the option and the text given.
 */
export function readNumber(
  command: string,
  options: ParsedOptions,
  option: string,
  { integer = false, min = -Infinity }: { integer?: boolean; min?: number } = {},
): number | undefined {
  const raw = options.values.get(option);
  if (raw === undefined) return undefined;
  const n = raw.trim() === '' ? NaN : Number(raw);
  if (!Number.isFinite(n) || (integer && !Number.isInteger(n)) || n < min) {
    throw new UsageError(`${command}: ${option} needs ${integer ? 'a whole number' : 'a number'}${min > -Infinity ? ` >= ${min}` : ''}, got '${raw}'`);
  }
  return n;
}

/** The backend named by `--backend`, else NGF_BACKEND, else 'auto'; anything unknown is a UsageError. */
export function readBackendOption(command: string, options: ParsedOptions): string {
  const backend = options.values.get('--backend') ?? process.env.NGF_BACKEND ?? 'auto';
  if (!['cpu', 'wasm', 'auto', 'tfjs-node', 'tfjs-node-gpu'].includes(backend)) throw new UsageError(`${command}: --backend must be cpu, wasm or auto, got '${backend}'`);
  return backend;
}
