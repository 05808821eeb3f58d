/**
 * The reference codes an extract is checked against, taken from the loaded
 * reference data. Retired reporting locations stay valid: a person may still
 * be recorded against one, and the database keeps the code too.
 */
import type { IsoDate } from '../dates.ts'
import type { ReferenceData } from '../db/reference-data.ts'
import type { ExtractContext } from './extract.ts'

export function extractContextFor(reference: ReferenceData, today: IsoDate): ExtractContext {
  return {
    romRegions: new Set(reference.regions.romRegions.map((region) => region.code)),
    iceRegions: new Set(reference.regions.iceRegions.map((region) => region.code)),
    reportingLocations: new Map(
      reference.locations.reportingLocations.map((location) => [location.code, location.romRegion]),
    ),
    countries: new Set(reference.countries.countries.map((country) => country.code)),
    businessAreas: new Set(reference.businessAreas.businessAreas.map((area) => area.code)),
    today,
  }
}
