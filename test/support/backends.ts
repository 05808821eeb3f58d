/**
 * The database's sessions as an administrator sees them, for tests of what
 * the service does when its connections are ended under it. Each helper
 * uses a connection of its own, so the ending never reaches the test's.
 */
import pg from 'pg'

/** A client on `url`, connected, that does not end the process if its own connection is lost. */
export async function adminClient(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url })
  client.on('error', () => {})
  await client.connect()
  return client
}

/** Runs `work` on a client of its own, and closes it. */
export async function asAdmin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = await adminClient(url)
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/**
 * Ends the other sessions on `client`'s database that match `where` (SQL on
 * pg_stat_activity), as an administrator or a failover would: the outage in
 * the hardening issue. Returns how many it ended.
 */
export async function terminateBackends(client: pg.Client, where = 'true'): Promise<number> {
  const result = await client.query<{ ended: number }>(`
    select count(*) filter (where pg_terminate_backend(pid))::int as ended from pg_stat_activity
    where datname = current_database() and pid <> pg_backend_pid() and (${where})`)
  return result.rows[0]?.ended ?? 0
}

/** Waits until a session matching `where` is on `client`'s database (polling: the server gives no signal). */
export async function backendAppears(
  client: pg.Client,
  where: string,
  giveUpAfterMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + giveUpAfterMs
  for (;;) {
    const found = await client.query(`
      select 1 from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and (${where})`)
    if (found.rowCount) return
    if (Date.now() > deadline) throw new Error(`no session where ${where} after ${giveUpAfterMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}
