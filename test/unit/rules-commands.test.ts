import assert from 'node:assert/strict'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { after, before, describe, it, mock } from 'node:test'
import { UserFacingError } from '../../src/commands/errors.ts'
import { checkRules } from '../../src/commands/rules-check.ts'

const RULES = resolve(import.meta.dirname, '../../rules')

describe('ipic rules check', () => {
  let scratch: string
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'ipic-rules-check-'))
  })
  after(() => rm(scratch, { recursive: true, force: true }))

  it('says the rule set is usable, with its version and how many rules and test cases it has', async () => {
    const write = mock.method(process.stdout, 'write', () => true)
    try {
      await checkRules({ rules: RULES })
    } finally {
      write.mock.restore()
    }
    // The test runner reports through stdout too: keep only what the command wrote.
    const printed = write.mock.calls
      .map((c) => String(c.arguments[0]))
      .filter((text) => text.startsWith('Rule set'))
    assert.equal(printed.length, 1)
    assert.match(printed[0] ?? '', /^Rule set [0-9a-f]{12}: 9 rules, \d+ test cases, no problems\n$/)
  })

  it('lists every problem with file, path and message, and fails', async () => {
    const broken = join(scratch, 'broken')
    await cp(RULES, broken, { recursive: true })
    const file = join(broken, 'VOLUNTARY_RETURN.yaml')
    const content = await readFile(file, 'utf8')
    await writeFile(file, content.replace('field: reporting.whereabouts', 'field: person.nationality'))
    await writeFile(
      join(broken, 'NOT_A_TASK.yaml'),
      (await readFile(file, 'utf8')).replace('code: VOLUNTARY_RETURN', 'code: NOT_A_TASK'),
    )
    await assert.rejects(checkRules({ rules: broken }), (error: unknown) => {
      assert.ok(error instanceof UserFacingError)
      assert.equal(
        error.message,
        [
          `the rule set in ${broken} has 3 problems:`,
          'NOT_A_TASK.yaml: code: NOT_A_TASK is not a task type in the reference data',
          'NOT_A_TASK.yaml: eligibility.all[1].field: nationality is not available to rules or priority',
          'VOLUNTARY_RETURN.yaml: eligibility.all[1].field: nationality is not available to rules or priority',
        ].join('\n'),
      )
      return true
    })
  })
})
