import { withRuntime } from '../runtime.ts'

export async function migrate(): Promise<void> {
  // Opening the runtime applies the migrations and loads the reference data.
  await withRuntime(async ({ reference }) => {
    process.stdout.write(
      `Database is up to date. Reference data: ${reference.regions.romRegions.length} ROM regions, ` +
        `${reference.locations.reportingLocations.length} reporting locations, ${reference.countries.countries.length} countries, ` +
        `${reference.taskTypes.taskTypes.length} task types, ${reference.rejectionReasons.rejectionReasons.length} rejection reasons.\n`,
    )
  })
}
