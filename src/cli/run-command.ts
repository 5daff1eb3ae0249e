import { ConfigError } from '../config/config.js';
import { DatabaseUnavailableError } from '../db/database-errors.js';
import { AppError } from '../errors.js';

/** Exit codes: 0 success, 1 runtime failure, 2 bad input (configuration, arguments, paths). */
export const EXIT_BAD_INPUT = 2;
export const EXIT_FAILURE = 1;

/** Runs a CLI command and turns known errors into a one-paragraph message and an exit code. */
export async function runCommand(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (err) {
    if (err instanceof ConfigError || err instanceof AppError) {
      process.stderr.write(`photo-sync: ${err.message}\n`);
      process.exitCode = EXIT_BAD_INPUT;
    } else if (err instanceof DatabaseUnavailableError) {
      process.stderr.write(`photo-sync: ${err.message}\n`);
      process.exitCode = EXIT_FAILURE;
    } else {
      process.stderr.write(
        `photo-sync: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = EXIT_FAILURE;
    }
  }
}
