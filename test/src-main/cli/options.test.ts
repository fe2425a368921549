import { describe, expect, it } from 'vitest';
import { run as serve } from '../../../src-main/cli/commands/serve';
import { run as train } from '../../../src-main/cli/commands/train';
import { parseOptions, readBackendOption, readNumber, UsageError } from '../../../src-main/cli/options';
import { captureConsole } from './captureConsole';

const SPEC = { values: ['--n', '--lr', '--backend'], flags: ['--json'] };

describe('parseOptions', () => {
  it('splits value options and flags, the last value winning', () => {
    const { values, flags } = parseOptions('cmd', ['--n', '3', '--json', '--lr', '-1e-3', '--n', '4'], SPEC);
    expect(Object.fromEntries(values)).toEqual({ '--n': '4', '--lr': '-1e-3' });
    expect([...flags]).toEqual(['--json']);
  });

  it('names the option at fault in a UsageError', () => {
    expect(() => parseOptions('cmd', ['--n'], SPEC)).toThrow(new UsageError("cmd: option --n needs a value"));
    expect(() => parseOptions('cmd', ['--n', '--json'], SPEC)).toThrow(/^cmd: option --n needs a value$/);
    expect(() => parseOptions('cmd', ['--shiny'], { ...SPEC, unknownHint: ' (try --n)' })).toThrow(/^cmd: unknown option '--shiny' \(try --n\)$/);
    expect(() => parseOptions('cmd', ['3'], SPEC)).toThrow(UsageError);
  });
});

describe('readNumber and readBackendOption', () => {
  const parsed = (args: string[]) => parseOptions('cmd', args, SPEC);
  it('reads numbers within their range, undefined when absent', () => {
    expect(readNumber('cmd', parsed(['--n', '7']), '--n', { integer: true, min: 1 })).toBe(7);
    expect(readNumber('cmd', parsed(['--lr', '1e-3']), '--lr')).toBe(1e-3);
    expect(readNumber('cmd', parsed([]), '--n')).toBeUndefined();
  });
  it.each([
    [['--n', '0'], { integer: true, min: 1 }, "cmd: --n needs a whole number >= 1, got '0'"],
    [['--n', '1.5'], { integer: true }, "cmd: --n needs a whole number, got '1.5'"],
    [['--n', ' '], {}, "cmd: --n needs a number, got ' '"],
    [['--n', 'NaN'], {}, "cmd: --n needs a number, got 'NaN'"],
  ])('rejects %j (%j)', (args, range, message) => {
    expect(() => readNumber('cmd', parsed(args), '--n', range)).toThrow(message);
  });
  it('checks the backend name', () => {
    expect(readBackendOption('cmd', parsed(['--backend', 'wasm']))).toBe('wasm');
    expect(() => readBackendOption('cmd', parsed(['--backend', 'gpu']))).toThrow("cmd: --backend must be cpu, wasm or auto, got 'gpu'");
  });
});

describe('commands exit 2 on bad usage before doing any work', () => {
  const { errors } = captureConsole();
  it('train', async () => {
    expect(await train(['--model', 'ngf', '--dataset', 'x.npz', '--epochs', 'two'])).toBe(2);
    expect(errors[0]).toBe("train: --epochs needs a whole number, got 'two'");
    expect(await train(['--model', 'ngf', '--dataset', 'x.npz', '--resume'])).toBe(2);
    expect(errors[2]).toBe('train: --resume needs --out DIR');
    expect(await train(['--model', 'ngf', '--dataset', 'x.npz', '--threads', '0'])).toBe(2);
    expect(errors[4]).toBe("train: --threads needs a whole number >= 1, got '0'");
  });
  it('serve', async () => {
    expect(await serve(['--port', '70000'])).toBe(2);
    expect(errors[0]).toBe("serve: --port must be an integer from 0 to 65535, got '70000'");
    expect(await serve(['--bogus'])).toBe(2);
    expect(errors[1]).toMatch(/^serve: unknown option '--bogus'\nusage: npm run serve/);
  });
});
