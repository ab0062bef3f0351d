import type { Server } from 'node:http';
import type { Logger } from 'pino';
import type { Lifecycle } from './app.js';
import type { JobRunner } from './jobs/runner.js';

export interface ShutdownOptions {
  readonly server: Server;
  readonly runner: JobRunner;
  readonly lifecycle: Lifecycle;
  readonly log: Logger;
  /** How long running jobs get to finish before they are handed back. */
  readonly graceMs: number;
  /** Closed last, in order (state stores, clients). */
  readonly close: ReadonlyArray<() => Promise<void>>;
}

/**
 * Graceful stop: take no new work (new requests get `503
 * Service.ShuttingDown`, `/readyz` fails so load balancers move away), let
 * running jobs finish within the grace period, hand back the rest as
 * `Job.Interrupted`, close the server and the stores. Resolves when done;
 * calling it again returns the same promise.
 */
export function createShutdown(options: ShutdownOptions): (reason: string) => Promise<void> {
  let running: Promise<void> | undefined;
  return (reason: string) => {
    running ??= (async () => {
      const { log } = options;
      log.info({ reason, grace_ms: options.graceMs }, 'shutting down');
      options.lifecycle.draining = true;
      const { finished, handedBack } = await options.runner.drain(options.graceMs);
      log.info({ finished, handed_back: handedBack }, 'jobs drained');
      await new Promise<void>((resolve) => {
        options.server.close(() => resolve());
        options.server.closeIdleConnections();
        setTimeout(() => options.server.closeAllConnections(), 1000).unref();
      });
      for (const close of options.close) {
        try {
          await close();
        } catch (err) {
          log.warn({ err }, 'error while closing');
        }
      }
      log.info('stopped');
    })();
    return running;
  };
}

/** SIGTERM and SIGINT run the shutdown, then exit 0 (1 if shutdown itself failed). */
export function installSignalHandlers(shutdown: (reason: string) => Promise<void>, log: Logger): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      shutdown(signal).then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}
