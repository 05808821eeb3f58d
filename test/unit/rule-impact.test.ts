import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { formatImpactReport } from '../../src/commands/impact-text.ts'
import { groupImpact, type ImpactRow, impactReport } from '../../src/rules/impact.ts'
import {
  apartFromEveryone,
  apartWords,
  changeWords,
  groupFlags,
  rateWords,
} from '../../src/rules/impact-words.ts'
import { notesProblems } from '../../src/rules/publish.ts'
import { impactReportPage, publisherWords, ruleChangesPage } from '../../src/web/view-models/rule-changes.ts'

const SETTINGS = { marginPoints: 5, smallGroup: 30 }
const ABOUT = { liveVersion: 'live1', draftVersion: 'draft1', today: '2026-03-02' }

/** Two regions, one task type; 100 women (10 → 20 recommended) and 40 men (8 → 8), all in one age band. */
const ROWS: ImpactRow[] = [
  {
    kind: 'region',
    taskType: 'EM_REVIEW',
    romRegion: 'NW',
    live: 10,
    draft: 12,
    added: 3,
    removed: 1,
    unchanged: 9,
  },
  {
    kind: 'region',
    taskType: 'EM_REVIEW',
    romRegion: 'LSE',
    live: 8,
    draft: 16,
    added: 8,
    removed: 0,
    unchanged: 8,
  },
  { kind: 'people', dimension: 'gender', group: 'F', people: 100 },
  { kind: 'people', dimension: 'gender', group: 'M', people: 40 },
  { kind: 'people', dimension: 'gender', group: 'X', people: 3 },
  { kind: 'people', dimension: 'ageBand', group: '25 to 34', people: 143 },
  { kind: 'people', dimension: 'nationality', group: 'Nigeria', people: 143 },
  { kind: 'group', taskType: null, dimension: 'gender', group: 'F', live: 10, draft: 20 },
  { kind: 'group', taskType: null, dimension: 'gender', group: 'M', live: 8, draft: 8 },
  { kind: 'group', taskType: 'EM_REVIEW', dimension: 'gender', group: 'F', live: 10, draft: 20 },
  { kind: 'group', taskType: 'EM_REVIEW', dimension: 'gender', group: 'M', live: 8, draft: 8 },
  { kind: 'everyone', taskType: null, live: 18, draft: 28 },
  { kind: 'everyone', taskType: 'EM_REVIEW', live: 18, draft: 28 },
]

describe('a rule change impact report', () => {
  const report = impactReport(ROWS, ABOUT, SETTINGS)

  it('adds up regions into task types and totals, in order', () => {
    assert.deepEqual(
      report.regions.map((r) => r.romRegion),
      ['LSE', 'NW'],
    )
    assert.deepEqual(report.taskTypes, [
      { taskType: 'EM_REVIEW', live: 18, draft: 28, added: 11, removed: 1, unchanged: 17 },
    ])
    assert.deepEqual(report.totals, { live: 18, draft: 28, added: 11, removed: 1, unchanged: 17 })
    assert.equal(report.persons, 143)
  })

  it('gives every group of any task type, even one nobody is recommended in, and flags beyond the margin', () => {
    const gender = report.equality.find((t) => t.dimension === 'gender' && t.taskType === null)
    assert.deepEqual(
      gender?.groups.map((g) => [g.group, g.people, g.live, g.draft, g.changePoints, g.flagged, g.small]),
      [
        ['F', 100, 10, 20, 10, true, false],
        ['M', 40, 8, 8, 0, false, false],
        ['X', 3, 0, 0, 0, false, true],
      ],
    )
    // A task type lists only the groups someone is recommended in.
    const byType = report.equality.find((t) => t.dimension === 'gender' && t.taskType === 'EM_REVIEW')
    assert.deepEqual(
      byType?.groups.map((g) => g.group),
      ['F', 'M'],
    )
    assert.equal(report.flagged, 2, 'women, in any task type and in EM_REVIEW')
  })

  it('puts age bands youngest first', () => {
    const ages = impactReport(
      ['65 and over', '18 to 24', 'Under 18', '45 to 54'].map((group) => ({
        kind: 'people' as const,
        dimension: 'ageBand' as const,
        group,
        people: 10,
      })),
      ABOUT,
      SETTINGS,
    ).equality.find((t) => t.dimension === 'ageBand' && t.taskType === null)
    assert.deepEqual(
      ages?.groups.map((g) => g.group),
      ['Under 18', '18 to 24', '45 to 54', '65 and over'],
    )
  })

  it('flags a change of more than the margin, not one of exactly the margin, and marks small groups', () => {
    assert.equal(groupImpact({ group: 'a', people: 100, live: 10, draft: 15 }, SETTINGS).flagged, false)
    assert.equal(groupImpact({ group: 'a', people: 100, live: 10, draft: 16 }, SETTINGS).flagged, true)
    assert.equal(groupImpact({ group: 'a', people: 100, live: 16, draft: 10 }, SETTINGS).flagged, true)
    const empty = groupImpact({ group: 'a', people: 0, live: 0, draft: 0 }, SETTINGS)
    assert.deepEqual(
      [empty.liveRate, empty.changePoints, empty.flagged, empty.small],
      [null, null, false, true],
    )
    assert.equal(groupImpact({ group: 'a', people: 29, live: 0, draft: 0 }, SETTINGS).small, true)
    assert.equal(groupImpact({ group: 'a', people: 30, live: 0, draft: 0 }, SETTINGS).small, false)
  })

  it("sets a group's change against everyone's", () => {
    const everyone = groupImpact({ group: 'Everyone', people: 100, live: 10, draft: 20 }, SETTINGS)
    const alike = groupImpact({ group: 'a', people: 50, live: 5, draft: 10 }, SETTINGS)
    const apart = groupImpact({ group: 'b', people: 50, live: 5, draft: 5 }, SETTINGS)
    assert.equal(apartFromEveryone(alike, everyone), 0)
    assert.equal(apartWords(apartFromEveryone(alike, everyone)), 'the same')
    assert.equal(apartWords(apartFromEveryone(apart, everyone)), '10.0 points below')
    assert.equal(apartWords(2.14), '2.1 points above')
    assert.equal(apartFromEveryone(apart, undefined), null)
    assert.deepEqual(groupFlags(alike, 5, 0), ['Changes by more than 5.0 points'])
    assert.deepEqual(groupFlags(apart, 5, -10), ['Differs from everyone by more than 5.0 points'])
    assert.deepEqual(groupFlags(apart, 5, -5), [], 'exactly the margin is not flagged')
  })

  it('says each rate with the counts behind it, and each change in words', () => {
    assert.equal(rateWords(12, 340), '12 of 340 (3.5%)')
    assert.equal(rateWords(1234, 2000), '1,234 of 2,000 (61.7%)')
    assert.equal(rateWords(0, 0), '0 of 0')
    assert.equal(changeWords(2.5), 'up 2.5 points')
    assert.equal(changeWords(-0.34), 'down 0.3 points')
    assert.equal(changeWords(0.01), 'up less than 0.1 points')
    assert.equal(changeWords(0), 'no change')
    assert.equal(changeWords(null), 'no one in the group')
    const group = groupImpact({ group: 'a', people: 10, live: 0, draft: 5 }, SETTINGS)
    assert.deepEqual(groupFlags(group, 5), ['Changes by more than 5.0 points', 'Small group'])
  })

  it('prints the report for the terminal, saying what it was compared with', () => {
    const text = formatImpactReport(report, { draftDir: '/tmp/draft' })
    assert.match(
      text,
      /^Draft rule set draft1 \(\/tmp\/draft\)\nagainst the live rule set live1 \(the one the last/,
    )
    assert.match(text, /over the 143 present persons on 2026-03-02\. Nothing has been written\./)
    assert.match(text, /\nEM_REVIEW {2}LSE +8 +16 +8 +0 +8\n/)
    assert.match(text, /\nTotal +18 +28 +11 +1 +17\n/)
    assert.match(
      text,
      /F +10 of 100 \(10\.0%\) +20 of 100 \(20\.0%\) +up 10\.0 points +3\.0 points above +Changes by more than 5\.0 points/,
    )
    assert.match(text, /EM_REVIEW +Gender +F +10 of 100/)
    const first = formatImpactReport(impactReport(ROWS, { ...ABOUT, liveVersion: null }, SETTINGS), {
      draftDir: 'd',
    })
    assert.match(first, /against no rule set \(no rule run has completed, so every match would be new\)/)
    const nothing = formatImpactReport(impactReport([], ABOUT, SETTINGS), { draftDir: 'd' })
    assert.match(nothing, /Neither rule set matches anyone\.$/)
  })

  it('refuses change notes that are missing, blank, too long or hold control characters', () => {
    assert.deepEqual(notesProblems('Lower the threshold to two events.'), [])
    assert.match(notesProblems(undefined)[0] ?? '', /^change notes are required/)
    assert.match(notesProblems(' \n ')[0] ?? '', /^change notes are required/)
    assert.match(notesProblems('a'.repeat(2001))[0] ?? '', /2001 characters long: at most 2000/)
    assert.deepEqual(notesProblems('a'.repeat(2000)), [])
    assert.match(notesProblems('bell\u0007')[0] ?? '', /control characters/)
    assert.deepEqual(notesProblems('Two lines\nare fine'), [])
  })
})

describe('the rule changes pages', () => {
  const publishedAt = new Date('2026-03-02T10:30:00Z')
  const publication = {
    basis: 'published' as const,
    version: 'draft1',
    publishedAt,
    publishedFrom: 'ipic rules publish run by the account ops',
    publishedBy: { id: 'author1', name: 'Rita Author' },
    notes: 'Lower the threshold.',
    impact: impactReport(ROWS, ABOUT, SETTINGS),
  }

  it('lists publications with who, when and the headline counts; a version from before the records has no report', () => {
    const page = ruleChangesPage({
      inForce: 'old',
      publications: [
        { ...publication, added: 11, removed: 1, unchanged: 17, flagged: 2 },
        { basis: 'before-records', version: 'old', publishedAt: new Date('2026-01-05T09:00:00Z') },
      ],
    })
    const [latest, old] = page.cards
    assert.equal(latest?.href, '/rules/changes/draft1')
    assert.deepEqual(latest?.tags, [])
    assert.deepEqual(
      latest?.rows.map((r) => [r.key.text, r.value.text]),
      [
        ['Published', '10:30am on 2 March 2026'],
        ['By', 'Rita Author (author1), through ipic rules publish run by the account ops'],
        ['Change notes', 'Lower the threshold.'],
        ['Recommendations', '11 added, 1 withdrawn, 17 unchanged'],
        ['Groups flagged', '2'],
      ],
    )
    assert.equal(old?.href, null)
    assert.deepEqual(old?.tags, [{ text: 'In force', classes: 'govuk-tag--green' }])
    assert.equal(publisherWords({ publishedBy: null, publishedFrom: 'x' }), 'No user named, through x')
  })

  it('shows a report with names for codes, everyone first, and flags as tags in words', () => {
    const page = impactReportPage(publication, {
      taskTypes: new Map([['EM_REVIEW', 'Electronic monitoring review']]),
      regions: new Map([['LSE', 'London and South East']]),
    })
    assert.equal(
      page.warning,
      "2 groups' recommendation rate would change by more than 5 points. " +
        "4 groups' change would differ from everyone's by more than 5 points.",
    )
    assert.deepEqual(page.taskTypeRows[0]?.[0], { text: 'Electronic monitoring review' })
    assert.deepEqual(
      page.regionRows.map((r) => r[1]?.text),
      ['London and South East', 'NW'],
    )
    const gender = page.equalityTables.find((t) => t.caption === 'Gender')
    assert.deepEqual(
      gender?.rows.map((r) => r.cells[0]?.text),
      ['Everyone', 'F', 'M', 'X'],
    )
    assert.equal(gender?.flagged, 1)
    assert.deepEqual(gender?.rows[1]?.tags, [
      { text: 'Changes by more than 5.0 points', classes: 'govuk-tag--red' },
    ])
    // Men: no change while everyone's rate rises 7 points.
    assert.deepEqual(
      gender?.rows[2]?.cells.slice(3).map((c) => c.text),
      ['no change', '7.0 points below'],
    )
    assert.deepEqual(gender?.rows[2]?.tags, [
      { text: 'Differs from everyone by more than 5.0 points', classes: 'govuk-tag--orange' },
    ])
    assert.deepEqual(gender?.rows[3]?.tags, [
      { text: 'Differs from everyone by more than 5.0 points', classes: 'govuk-tag--orange' },
      { text: 'Small group', classes: 'govuk-tag--grey' },
    ])
    assert.deepEqual(
      page.flaggedRows.map((r) => r.cells.slice(0, 2).map((c) => c.text)),
      [
        ['Electronic monitoring review', 'Gender: F'],
        ['Electronic monitoring review', 'Gender: M'],
      ],
    )
  })
})
