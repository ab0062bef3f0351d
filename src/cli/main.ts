/** The dagwright command line's entry point: runs the program and sets the exit code. */
import { runCli } from './run.js';

process.exitCode = await runCli(process.argv);
