/** The small part of autocannon's API the web benchmark uses (the package ships no types). */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  export interface AutocannonRequest {
    method?: string
    path?: string
    headers?: Record<string, string>
    body?: string
  }

  export interface AutocannonClient {
    setRequests(requests: AutocannonRequest[]): void
  }

  export interface AutocannonOptions {
    url: string
    connections?: number
    duration?: number
    amount?: number
    setupClient?: (client: AutocannonClient) => void
  }

  export interface AutocannonResult {
    /** Seconds the run took. */
    duration: number
  }

  export interface AutocannonInstance extends EventEmitter, PromiseLike<AutocannonResult> {}

  export default function autocannon(options: AutocannonOptions): AutocannonInstance
}
