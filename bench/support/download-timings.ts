/**
 * The MI benchmark's timings of the COPY reference and of each download, and
 * the figures its report prints from them: rows a second, the share of the
 * round's COPY, and medians over the rounds.
 */
import { median } from './statistics.ts'

export interface Timing {
  readonly name: string
  readonly rows: number
  readonly seconds: number
  readonly bytes: number
  readonly peakRssMegabytes: number
  /** The server process's CPU time, start-up and sign-in included. */
  readonly cpuSeconds: number
}

export type CopyTiming = Omit<Timing, 'peakRssMegabytes' | 'cpuSeconds'>

/** One round: the reference, then each download, one after the other. */
export interface Round {
  readonly copy: CopyTiming
  readonly xlsx: Timing
  readonly csv: Timing
}

export function shareOfCopy(download: Timing, copy: CopyTiming): number {
  return download.rows / download.seconds / (copy.rows / copy.seconds)
}

export function perSecond(timing: CopyTiming): string {
  return Math.round(timing.rows / timing.seconds).toLocaleString('en-GB')
}

export function percent(share: number): string {
  return `${Math.round(share * 100)}%`
}

export function medianRate(timings: readonly CopyTiming[]): number {
  return median(timings.map((timing) => timing.rows / timing.seconds))
}

/** The rows, the median seconds and the median rows/s of one kind of timing, over the rounds. */
export function columns(timings: readonly CopyTiming[]): string[] {
  return [
    (timings[0]?.rows ?? 0).toLocaleString('en-GB'),
    median(timings.map((timing) => timing.seconds)).toFixed(2),
    Math.round(medianRate(timings)).toLocaleString('en-GB'),
  ]
}
