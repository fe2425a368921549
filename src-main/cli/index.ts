/**
 * The `npm run ngf -- COMMAND ...` command line. Each command lives in ./commands/NAME.ts and exports
 * `run(args: string[]): Promise<number>` (the exit code) and a one-line `summary`. Commands are loaded
 * with a dynamic import after the TF.js resolve hook is in place (see engine/tfjsNodeResolution.ts).
 */
import { registerTfjsNodeResolution } from '../engine/tfjsNodeResolution';

const COMMANDS: Record<string, () => Promise<{ summary: string; run: (args: string[]) => Promise<number> }>> = {
  analyze: () => import('./commands/analyze'),
  eval: () => import('./commands/eval'),
  generate: () => import('./commands/generate'),
  serve: () => import('./commands/serve'),
  start: () => import('./commands/start'),
  train: () => import('./commands/train'),
};

function usage(): string {
  const lines = Object.keys(COMMANDS).sort().map((name) => `  ${name}`);
  return ['usage: npm run ngf -- COMMAND [options]   (COMMAND --help for its options)', 'commands:', ...lines].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`ngf: unknown command '${name}'\n${usage()}`);
    return 2;
  }
  registerTfjsNodeResolution();
  const command = await load();
  return command.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`ngf: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  },
);
