import { afterEach, beforeEach, vi } from 'vitest';

/**
 * Inside a `describe`: collects what each test prints with console.log and console.error (and keeps
 * it off the terminal). The arrays are emptied before each test, so destructure them once.
 */
export function captureConsole(): { logged: string[]; errors: string[] } {
  const logged: string[] = [];
  const errors: string[] = [];
  beforeEach(() => {
    logged.length = 0;
    errors.length = 0;
    vi.spyOn(console, 'log').mockImplementation((line: string) => void logged.push(line));
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
  });
  afterEach(() => vi.restoreAllMocks());
  return { logged, errors };
}
