/**
 * Evidence of review over HTTP: a decision records the sections its decider
 * opened on that task (not on other tasks, not by others), whether they
 * read why it was recommended, how long from their first opening, and their
 * words; the evidence cannot be changed afterwards; History shows it; and
 * IPIC_ACCEPT_NOTE=required refuses an acceptance that says nothing of what
 * was checked, changing nothing.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { recordAuditEvent } from '../../src/audit/events.ts'
import type { CaseSection } from '../../src/web/case/sections.ts'
import { paths } from '../../src/web/paths.ts'
import { CONFIRMED, caseDecisionsHarness, MINUTE } from '../support/case-decisions.ts'
import {
  csrfTokenIn,
  errorSummaryOf,
  signedInClient,
  startTestApp,
  type TestApp,
  textOf,
  type WebClient,
} from '../support/web.ts'

describe('evidence of review recorded with each decision', () => {
  const fixture = caseDecisionsHarness()
  const { signedIn, submit, task, events } = fixture

  async function open(client: WebClient, section: CaseSection, taskId = fixture.taskId) {
    const page = await client.get(paths.taskSection(taskId, section))
    assert.equal(page.statusCode, 200, `${section} opens`)
    fixture.clock.advance(MINUTE)
  }

  function evidence() {
    return fixture.database.db
      .selectFrom('review_evidence')
      .selectAll()
      .where('task_id', '=', fixture.taskId)
      .orderBy('task_event_id')
      .execute()
  }

  it('records exactly the sections this decider opened on this task, in order, and the time since their first opening', async () => {
    const other = await signedIn('cw2')
    await open(other, 'family-status')
    const client = await signedIn('cw1')
    await open(client, 'barriers')
    await open(client, 'why-recommended')
    await open(client, 'barriers')
    await open(client, 'vulnerability')
    // The same decider on another task: not evidence of this one.
    await recordAuditEvent(fixture.database.db, {
      kind: 'case-viewed',
      at: fixture.clock.now(),
      userId: 'cw1',
      personId: 'A9999999',
      taskId: fixture.taskId + 1000,
      section: 'harm',
    })
    const response = await submit(client, 'accept', { ...CONFIRMED, acceptNote: 'Barriers all resolved.' })
    assert.equal(response.statusCode, 303)

    const [row, ...more] = await evidence()
    assert.equal(more.length, 0)
    assert.ok(row)
    assert.deepEqual(row.sections_opened, ['barriers', 'why-recommended', 'vulnerability'])
    assert.equal(row.why_recommended_opened, true)
    assert.equal(row.seconds_to_decision, 4 * 60, 'four minutes from the first opening of barriers')
    assert.equal(row.own_words, 'Barriers all resolved.')
    assert.equal(row.status, 'ACCEPTED')
    assert.equal(row.user_id, 'cw1')
    const decision = (await events()).at(-1)
    assert.equal(row.task_event_id, decision?.id)
    assert.equal(decision?.note, 'Barriers all resolved.', 'the note is in the event log too')
  })

  it('records no sections and no time when the decider opened nothing but the form', async () => {
    const client = await signedIn('cw1')
    await submit(client, 'reject', { reasons: ['MEDICAL'], details: 'In hospital.', ...CONFIRMED })
    const [row] = await evidence()
    assert.deepEqual(row?.sections_opened, [])
    assert.equal(row?.why_recommended_opened, false)
    assert.equal(row?.seconds_to_decision, 0, 'the form itself is the first opening')
    assert.equal(row?.own_words, 'In hospital.')
  })

  it('records a hold and a change of decision each with their own evidence', async () => {
    const client = await signedIn('cw1')
    await open(client, 'harm')
    await submit(client, 'hold', { note: 'Asking the GP.' })
    await open(client, 'family-status')
    await submit(client, 'accept', CONFIRMED)
    const rows = await evidence()
    assert.deepEqual(
      rows.map((row) => [row.status, row.sections_opened, row.own_words]),
      [
        ['ON_HOLD', ['harm'], 'Asking the GP.'],
        ['ACCEPTED', ['harm', 'family-status'], null],
      ],
    )
  })

  it('refuses to update or delete evidence', async () => {
    const client = await signedIn('cw1')
    await submit(client, 'accept', CONFIRMED)
    const db = fixture.database.db
    await assert.rejects(
      db.updateTable('review_evidence').set({ own_words: 'changed' }).execute(),
      /review_evidence is append-only: UPDATE is not allowed/,
    )
    await assert.rejects(db.deleteFrom('review_evidence').execute(), /append-only: DELETE is not allowed/)
    assert.equal((await evidence())[0]?.own_words, null)
  })

  it('shows the evidence on History, markup in a note as text', async () => {
    const client = await signedIn('cw1')
    await open(client, 'barriers')
    await open(client, 'why-recommended')
    await submit(client, 'accept', { ...CONFIRMED, acceptNote: '<script>alert(1)</script> & <b>checked</b>' })
    const history = await client.get(paths.taskSection(fixture.taskId, 'history'))
    const text = textOf(history.body)
    assert.ok(
      history.body.includes(
        'What they checked: &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;checked&lt;/b&gt;',
      ),
    )
    assert.ok(!history.body.includes('<script>alert(1)'))
    assert.match(text, /Opened before deciding: Barriers, Why recommended/)
    assert.match(text, /Not opened: Vulnerability, Family status/)
    assert.match(text, /Read why it was recommended/)
    assert.match(text, /Time from first opening the task to deciding: 120 seconds|2 minutes/)
  })

  it('refuses a note of 10,000 characters with a GOV.UK error, and changes nothing', async () => {
    const client = await signedIn('cw1')
    const response = await submit(client, 'accept', { ...CONFIRMED, acceptNote: 'x'.repeat(10_000) })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(errorSummaryOf(response.body), [
      ['What you checked must be 1,000 characters or fewer', '#acceptNote'],
    ])
    assert.match(response.body, /id="acceptNote-error"/)
    assert.equal((await task()).status, 'RECOMMENDED')
    assert.equal((await events()).length, 1)
    assert.equal((await evidence()).length, 0)
  })

  it('shows the three actions with equal weight, none primary', async () => {
    const client = await signedIn('cw1')
    const page = await client.get(paths.taskSection(fixture.taskId, 'person-details'))
    const buttons = [...page.body.matchAll(/<a href="[^"]*\/(accept|reject|hold)[^"]*"[^>]*class="([^"]*)"/g)]
    assert.equal(buttons.length, 3)
    for (const [, , classes] of buttons) assert.match(classes ?? '', /govuk-button--secondary/)
  })

  describe('with IPIC_ACCEPT_NOTE=required', () => {
    let strict: TestApp
    before(async () => {
      strict = await startTestApp(fixture.database, {
        clock: fixture.clock,
        env: { IPIC_ACCEPT_NOTE: 'required' },
      })
    })
    after(async () => strict?.close())

    async function acceptOnStrictApp(fields: Record<string, string>) {
      const client = await signedInClient(strict.app, 'cw1')
      const form = await client.get(paths.taskDecision(fixture.taskId, 'accept'))
      assert.match(textOf(form.body), /What did you check\? For example/)
      assert.doesNotMatch(textOf(form.body), /What did you check\? \(optional\)/)
      return client.post(paths.taskDecision(fixture.taskId, 'accept'), {
        _csrf: csrfTokenIn(form.body),
        version: '1',
        ...fields,
      })
    }

    it('refuses an empty or blank note with a GOV.UK error, and changes nothing', async () => {
      for (const acceptNote of ['', '   \n ']) {
        const response = await acceptOnStrictApp({ ...CONFIRMED, acceptNote })
        assert.equal(response.statusCode, 400)
        assert.deepEqual(errorSummaryOf(response.body), [
          ['Enter what you checked before accepting this task', '#acceptNote'],
        ])
        assert.equal((await task()).status, 'RECOMMENDED')
        assert.equal((await events()).length, 1)
        assert.equal((await evidence()).length, 0)
      }
    })

    it('accepts with a note', async () => {
      const response = await acceptOnStrictApp({ ...CONFIRMED, acceptNote: 'Checked the barriers.' })
      assert.equal(response.statusCode, 303)
      assert.equal((await evidence())[0]?.own_words, 'Checked the barriers.')
    })
  })
})
