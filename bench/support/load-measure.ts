/**
 * One scenario of the web benchmark driven by autocannon: requests a second,
 * latency percentiles from every response, and the CPU time each request
 * cost the server, the database and the load generator.
 */
import autocannon, { type AutocannonClient, type AutocannonRequest } from 'autocannon'
import { cpuMillisecondsOf, databaseCpuMilliseconds } from './process-cpu.ts'
import { percentile } from './statistics.ts'

export interface Measured {
  readonly name: string
  readonly requests: number
  /** CPU milliseconds per request of the server process and of the database server. */
  readonly serverCpuMs: number
  readonly databaseCpuMs: number
  /** CPU milliseconds per request of this process: the load generator, which shares the machine's cores. */
  readonly loadCpuMs: number
  readonly bytesPerResponse: number
  readonly perSecond: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly statuses: string
}

export async function measure(
  name: string,
  options: {
    baseUrl: string
    serverPid: number
    connections: number
    duration?: number
    amount?: number
    /** The requests connection `i` makes, in turn. */
    requestsFor: (i: number) => AutocannonRequest[]
  },
): Promise<Measured> {
  const loadCpuBefore = process.cpuUsage()
  const cpuBefore = {
    server: await cpuMillisecondsOf(options.serverPid),
    database: await databaseCpuMilliseconds(),
  }
  const latencies: number[] = []
  const statuses = new Map<number, number>()
  let next = 0
  const instance = autocannon({
    url: options.baseUrl,
    connections: options.connections,
    ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 10 }),
    setupClient: (client: AutocannonClient) => {
      client.setRequests(options.requestsFor(next++ % options.connections))
    },
  })
  let bytes = 0
  instance.on(
    'response',
    (_client: unknown, statusCode: number, responseBytes: number, responseTime: number) => {
      bytes += responseBytes
      latencies.push(responseTime)
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1)
    },
  )
  const result = await instance
  const loadCpu = process.cpuUsage(loadCpuBefore)
  const cpu = {
    server: (await cpuMillisecondsOf(options.serverPid)) - cpuBefore.server,
    database: (await databaseCpuMilliseconds()) - cpuBefore.database,
  }
  latencies.sort((a, b) => a - b)
  const seconds = result.duration
  return {
    name,
    requests: latencies.length,
    serverCpuMs: cpu.server / latencies.length,
    databaseCpuMs: cpu.database / latencies.length,
    loadCpuMs: (loadCpu.user + loadCpu.system) / 1000 / latencies.length,
    bytesPerResponse: bytes / latencies.length,
    perSecond: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    statuses: [...statuses].map(([code, n]) => `${code}×${n}`).join(' '),
  }
}
