import { pino, type Logger } from 'pino';

/** A `load committed` log line: which path the load took, and where its time went. */
export interface CommittedLoad {
  readonly path: string;
  readonly phases_ms: Record<string, number>;
}

/** A logger for the loader under test that keeps its `load committed` lines, newest last. */
export function committedLog(): { readonly log: Logger; readonly committed: CommittedLoad[] } {
  const committed: CommittedLoad[] = [];
  const log = pino(
    { level: 'info' },
    {
      write: (line: string) => {
        const entry = JSON.parse(line) as { msg?: string } & CommittedLoad;
        if (entry.msg === 'load committed') committed.push(entry);
      },
    },
  );
  return { log, committed };
}
