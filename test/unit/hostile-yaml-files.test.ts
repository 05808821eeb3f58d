/**
 * Rule and reference data files written to break the service rather than to
 * hold data: directories, devices and pipes named like YAML files, files too
 * large or not UTF-8, alias bombs, unsupported tags. Each is refused with the
 * file, where in it, and a plain message, instead of hanging the reader or
 * running it out of memory.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { ReferenceDataError, readReferenceData } from '../../src/db/reference-data.ts'
import { loadRuleSet, RuleSetError } from '../../src/rules/load.ts'
import type { RuleSetProblem } from '../../src/rules/problems.ts'
import { YAML_FILE_MAX_BYTES } from '../../src/yaml/read-file.ts'
import { REFERENCE_DIR } from '../support/database.ts'
import { rule, ruleSetFiles } from '../support/rule-files.ts'

describe('rule files that could not be read safely', () => {
  let directory: string
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ipic-hostile-rules-'))
  })
  after(() => rm(directory, { recursive: true, force: true }))

  /** A valid rule set with one more entry, made by `add`, in a directory of its own. */
  async function problemsWith(
    name: string,
    add: (path: string) => Promise<unknown>,
  ): Promise<RuleSetProblem[]> {
    const rules = await mkdtemp(join(directory, 'rules-'))
    for (const file of ruleSetFiles(rule())) await writeFile(join(rules, file.name), file.content)
    await add(join(rules, name))
    try {
      await loadRuleSet(rules)
    } catch (error) {
      assert.ok(error instanceof RuleSetError, `expected a RuleSetError, got ${(error as Error)?.stack}`)
      return [...error.problems]
    }
    assert.fail('the rule set loaded, but problems were expected')
  }

  it('refuses a directory named like a rule file', async () => {
    assert.deepEqual(await problemsWith('x.yaml', (path) => mkdir(path)), [
      {
        file: 'x.yaml',
        path: '',
        message: 'is a directory, not a regular file: only regular files are read',
      },
    ])
  })

  it('refuses a link to /dev/zero instead of reading it for ever', async () => {
    assert.deepEqual(await problemsWith('x.yaml', (path) => symlink('/dev/zero', path)), [
      { file: 'x.yaml', path: '', message: 'is a device, not a regular file: only regular files are read' },
    ])
  })

  it('refuses a named pipe instead of waiting for a writer', { timeout: 20_000 }, async () => {
    const problems = await problemsWith('x.yaml', async (path) => execFileSync('mkfifo', [path]))
    assert.deepEqual(problems, [
      {
        file: 'x.yaml',
        path: '',
        message: 'is a named pipe, not a regular file: only regular files are read',
      },
    ])
  })

  it('refuses a file larger than the limit, and one that is not UTF-8', async () => {
    const large = await problemsWith('x.yaml', (path) =>
      writeFile(path, `# ${'x'.repeat(YAML_FILE_MAX_BYTES)}\n`),
    )
    assert.deepEqual(large, [
      {
        file: 'x.yaml',
        path: '',
        message: 'is larger than 1 MB: no rule or reference file needs to be that big',
      },
    ])
    const latin1 = await problemsWith('x.yaml', (path) =>
      writeFile(path, Buffer.from([0x6f, 0x77, 0xe9, 0x0a])),
    )
    assert.deepEqual(latin1, [{ file: 'x.yaml', path: '', message: 'is not UTF-8 text: save it as UTF-8' }])
  })

  it('refuses an alias bomb without expanding it', async () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]']
    for (const [i, name] of ['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].entries()) {
      const previous = String.fromCharCode('a'.charCodeAt(0) + i)
      levels.push(`${name}: &${name} [${Array(9).fill(`*${previous}`).join(', ')}]`)
    }
    const problems = await problemsWith('X.yaml', (path) => writeFile(path, `${levels.join('\n')}\n`))
    assert.deepEqual(problems, [
      {
        file: 'X.yaml',
        path: '',
        message: 'uses its anchors (*name) so often that expanding them would take too much memory',
      },
    ])
  })
})

describe('reference data files', () => {
  let directory: string
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ipic-hostile-reference-'))
  })
  after(() => rm(directory, { recursive: true, force: true }))

  async function referenceError(change: (directory: string) => Promise<unknown>): Promise<string> {
    const copy = await mkdtemp(join(directory, 'reference-'))
    await cp(REFERENCE_DIR, copy, { recursive: true })
    await change(copy)
    try {
      await readReferenceData(copy)
    } catch (error) {
      assert.ok(error instanceof ReferenceDataError, `expected a ReferenceDataError, got ${error}`)
      return error.message.replace(copy, '<dir>')
    }
    assert.fail('the reference data loaded, but a problem was expected')
  }

  it('are read only from regular files, as rule files are', { timeout: 20_000 }, async () => {
    const message = await referenceError(async (copy) => {
      await rm(join(copy, 'countries.yaml'))
      execFileSync('mkfifo', [join(copy, 'countries.yaml')])
    })
    assert.equal(
      message,
      '<dir>/countries.yaml is a named pipe, not a regular file: only regular files are read',
    )
  })

  it('refuse unsupported tags and control characters, naming where', async () => {
    const message = await referenceError((copy) =>
      writeFile(
        join(copy, 'business-areas.yaml'),
        'businessAreas:\n  - code: AB\n    name: !!binary QQ==\n    shortName: "A\\u0007"\n',
      ),
    )
    assert.equal(
      message,
      [
        '<dir>/business-areas.yaml is not valid:',
        '  businessAreas.0.name: uses the tag !!binary, which is not supported: write plain text, a number, true or false, a list or a mapping',
      ].join('\n'),
    )
    const control = await referenceError((copy) =>
      writeFile(
        join(copy, 'business-areas.yaml'),
        'businessAreas:\n  - code: AB\n    name: A\n    shortName: "A\\a"\n',
      ),
    )
    assert.equal(
      control,
      [
        '<dir>/business-areas.yaml is not valid:',
        '  businessAreas.0.shortName: must not contain control characters (it contains U+0007)',
      ].join('\n'),
    )
  })
})
