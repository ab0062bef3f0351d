import { pino, type Logger, type DestinationStream, type LevelWithSilent } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  readonly service: string;
  readonly level?: LevelWithSilent;
  /** Where to write; stdout when absent. Tests pass a stream to read the lines. */
  readonly destination?: DestinationStream;
}

/**
 * Structured JSON logs. Anything that may hold a credential is redacted, in
 * case a caller ever logs headers; the kit itself never logs them.
 */
export function createLogger(options: LoggerOptions): Logger {
  const config = {
    level: options.level ?? 'info',
    base: { service: options.service },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: [
        'authorization',
        'token',
        'tokens',
        'password',
        'headers.authorization',
        'req.headers.authorization',
        '*.authorization',
        '*.token',
        '*.password',
      ],
      censor: '[redacted]',
    },
  };
  return options.destination ? pino(config, options.destination) : pino(config);
}
