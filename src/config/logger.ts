import { pino, type Logger } from 'pino';

export type { Logger };

/**
 * Structured logs to stderr (stdout stays free for `--json` output). Secrets never reach a log:
 * any field with these names is censored wherever it sits.
 */
export function createLogger(level: string, name = 'qbo-export'): Logger {
  return pino(
    {
      name,
      level,
      redact: {
        paths: [
          'access_token', 'refresh_token', 'id_token', 'client_secret', 'clientSecret', 'password', 'authorization',
          '*.access_token', '*.refresh_token', '*.id_token', '*.client_secret', '*.clientSecret', '*.password',
          '*.authorization', 'headers.authorization', 'req.headers.authorization', 'req.headers.cookie',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination(2),
  );
}
