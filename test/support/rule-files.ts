/**
 * Small rule sets written in the test, so that a test of the rule language
 * does not change meaning when the catalogue in rules/ changes.
 */
import { stringify } from 'yaml'
import type { RuleSetFile } from '../../src/rules/model.ts'

// biome-ignore lint/suspicious/noExplicitAny: a rule file under construction is free-form YAML.
export type YamlObject = Record<string, any>

const provenance = {
  description: 'A rule for tests.',
  owner: 'Test team',
  policyReferences: [{ title: 'Reporting and offender management', url: 'https://www.gov.uk/example' }],
  changes: [{ date: '2025-06-02', author: 'Test team', note: 'First version.' }],
}

/** A global safeguards file with one safeguard (adult at risk at level 2 or more) and one definition. */
export function globalSafeguards(): YamlObject {
  return {
    name: 'Global safeguards',
    ...provenance,
    parameters: { adultAtRiskLevel: { value: 2, description: 'Excluded from this level.' } },
    definitions: {
      openSuspensiveBarrier: {
        text: 'Has an open barrier that suspends removal',
        when: {
          count: 'barriers',
          where: {
            all: [
              { field: 'open', operator: 'equals', value: true },
              { field: 'suspensive', operator: 'equals', value: true },
            ],
          },
          operator: 'some',
        },
      },
    },
    safeguards: [
      {
        id: 'adultAtRisk',
        text: 'Adult at risk at level 2 or 3',
        references: [{ title: 'Adults at risk', url: 'https://www.gov.uk/example-aar' }],
        when: { field: 'vulnerability.adultAtRiskLevel', operator: '>=', parameter: 'adultAtRiskLevel' },
      },
    ],
    tests: {
      cases: [
        {
          name: 'An adult at risk at level 2 is excluded',
          person: { 'vulnerability.adultAtRiskLevel': 2 },
          expect: 'not recommended',
          decidedBy: 'adultAtRisk',
        },
      ],
    },
  }
}

/** A rule for REPORTING_REVIEW: high harm with 2 or more missed events in the last 90 days. */
export function rule(code = 'REPORTING_REVIEW'): YamlObject {
  return {
    code,
    name: `Rule ${code}`,
    ...provenance,
    globalSafeguards: true,
    parameters: {
      minimumMissed: { value: 2, unit: 'events', description: 'Missed events from which the task applies.' },
      imminentWithinDays: { value: 28, unit: 'days', description: 'Imminence horizon.' },
    },
    eligibility: {
      all: [
        { id: 'highHarm', field: 'harm.harmLevel', operator: 'equals', value: 'HIGH' },
        {
          id: 'missedEvents',
          field: 'reporting.missedEvents90Days',
          operator: '>=',
          parameter: 'minimumMissed',
        },
      ],
    },
    priority: [
      {
        name: 'reportingSoon',
        text: 'The next reporting date is soon',
        weight: 40,
        scale: { field: 'reporting.daysUntilNextReporting', upTo: 'imminentWithinDays', direction: 'lower' },
      },
    ],
    reportingDate: 'reporting.nextDates[0]',
    tests: {
      typicalPerson: { 'harm.harmLevel': 'HIGH', 'reporting.missedEvents90Days': 2 },
      cases: [
        { name: 'High harm with two missed events is recommended', expect: 'recommended' },
        {
          name: 'One missed event is not enough',
          person: { 'reporting.missedEvents90Days': 1 },
          expect: 'not recommended',
          decidedBy: 'missedEvents',
        },
      ],
    },
  }
}

export function yamlFile(name: string, content: YamlObject): RuleSetFile {
  return { name, content: stringify(content) }
}

/** The global safeguards and the given rules, as files. */
export function ruleSetFiles(...rules: YamlObject[]): RuleSetFile[] {
  return [
    yamlFile('global-safeguards.yaml', globalSafeguards()),
    ...rules.map((r) => yamlFile(`${r.code}.yaml`, r)),
  ]
}
