/**
 * Demo data for the embedded database: on first start, generate a synthetic
 * extract and import it. Later starts find persons already there and reuse
 * them. Only ever called in demo mode (config.demo), which is on by default
 * for the embedded database and needs IPIC_DEMO=1 on a PostgreSQL server.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeExtract } from '../cases/generate.ts'
import { importExtract } from '../cases/import.ts'
import type { Runtime } from '../runtime.ts'

/** A fixed seed, so every fresh demo shows the same people. */
const DEMO_SEED = 2018

export async function seedDemoPersons(
  runtime: Pick<Runtime, 'config' | 'clock' | 'database' | 'reference' | 'logger'>,
): Promise<{ seeded: number }> {
  const { config, clock, database, reference, logger } = runtime
  const existing = await database.db.selectFrom('persons').select('person_id').limit(1).executeTakeFirst()
  if (existing || config.demoPersons === 0) return { seeded: 0 }

  const directory = await mkdtemp(join(tmpdir(), 'ipic-demo-'))
  try {
    const file = join(directory, 'demo-extract.ndjson')
    logger.info({ persons: config.demoPersons }, 'generating demo persons')
    await writeExtract(file, {
      persons: config.demoPersons,
      seed: DEMO_SEED,
      today: clock.today(),
      reference,
      // A caseload as a worked one looks, so the demo's lists are of a believable length.
      profile: 'realistic',
    })
    const summary = await importExtract(database, { file, full: false, clock, reference })
    return { seeded: summary.inserted }
  } finally {
    await rm(directory, { recursive: true, force: true })
  }
}
