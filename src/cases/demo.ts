/**
 * Demo data for the embedded database: on first start, generate a synthetic
 * extract and import it. Wired to the generator and importer by the lead.
 */
import type { Runtime } from '../runtime.ts'

export async function seedDemoPersons(_runtime: Runtime): Promise<{ seeded: number }> {
  return { seeded: 0 }
}
