import { pino } from 'pino'

/** Structured logs (JSON lines) for the service and the command line. */
export function createLogger(level: string) {
  return pino({ level, base: { service: 'ipic' }, timestamp: pino.stdTimeFunctions.isoTime })
}

export type Logger = ReturnType<typeof createLogger>
