/**
 * The importer against hostile files: a link planted where the rejects file
 * goes, files that never end, a small gzip that would write a huge rejects
 * file, and files with nothing to import.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, afterEach, before, beforeEach, describe, it } from 'node:test'
import { gzipSync } from 'node:zlib'
import { ImportFileError, type ImportOptions, importExtract } from '../../src/cases/import.ts'
import { clockFixedTo } from '../../src/clock.ts'
import type { IsoDate } from '../../src/dates.ts'
import { type ReferenceData, readReferenceData } from '../../src/db/reference-data.ts'
import { RECORD_TODAY, validCaseRecord } from '../support/case-record.ts'
import { openTestDatabase, REFERENCE_DIR, type TestDatabase } from '../support/database.ts'

const clock = clockFixedTo(RECORD_TODAY as IsoDate)

describe('importExtract and hostile files', () => {
  let database: TestDatabase
  let reference: ReferenceData
  let folder: string

  before(async () => {
    database = await openTestDatabase()
    reference = await readReferenceData(REFERENCE_DIR)
  })
  after(() => database.close())
  beforeEach(async () => {
    await database.reset()
    folder = await mkdtemp(join(tmpdir(), 'ipic-import-files-'))
  })
  afterEach(() => rm(folder, { recursive: true, force: true }))

  function run(file: string, options: Partial<ImportOptions> = {}) {
    return importExtract(database, { file, full: false, clock, reference, ...options })
  }

  async function imports() {
    return database.db.selectFrom('imports').select(['status', 'failure', 'rejected']).orderBy('id').execute()
  }

  async function personCount(): Promise<number> {
    const row = await database.db
      .selectFrom('persons')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  const line = (personId: string) => `${JSON.stringify(validCaseRecord(personId))}\n`

  describe('the rejects file', () => {
    it('replaces a link planted at its name instead of writing through it', async () => {
      const victim = join(folder, 'victim.txt')
      await writeFile(victim, 'precious\n')
      const file = join(folder, 'extract.ndjson')
      await writeFile(file, `${line('P0001')}not json\n`)
      await symlink(victim, `${file}.rejects.ndjson`)

      const summary = await run(file)

      assert.equal(summary.rejected, 1)
      assert.equal(await readFile(victim, 'utf8'), 'precious\n', 'the file the link pointed at is untouched')
      const rejects = `${file}.rejects.ndjson`
      assert.ok((await lstat(rejects)).isFile(), 'a file of its own, not the link')
      assert.match(
        await readFile(rejects, 'utf8'),
        /^\{"line":2,"personId":null,"problems":\["line is not valid JSON/,
      )
      assert.deepEqual((await readdir(folder)).sort(), [
        'extract.ndjson',
        'extract.ndjson.rejects.ndjson',
        'victim.txt',
      ])
    })

    it('removes a planted link, not what it points at, when nothing is rejected', async () => {
      const victim = join(folder, 'victim.txt')
      await writeFile(victim, 'precious\n')
      const file = join(folder, 'extract.ndjson')
      await writeFile(file, line('P0001'))
      await symlink(victim, `${file}.rejects.ndjson`)

      await run(file)

      assert.equal(await readFile(victim, 'utf8'), 'precious\n')
      assert.deepEqual((await readdir(folder)).sort(), ['extract.ndjson', 'victim.txt'])
    })

    it('stops the import with a clear message once more lines are rejected than allowed, keeping the first ones', async () => {
      // A gzip of a few kilobytes that unpacks to a million empty lines.
      const file = join(folder, 'newlines.ndjson.gz')
      await writeFile(
        file,
        gzipSync(Buffer.concat([Buffer.from(line('P0001')), Buffer.alloc(1_000_000, 0x0a)])),
      )

      await assert.rejects(run(file, { batchSize: 1_000, maxRejectedLines: 2_500 }), (error: Error) => {
        assert.ok(error instanceof ImportFileError, String(error))
        assert.match(
          error.message,
          /^The import of .*newlines\.ndjson\.gz stopped after 3,000 lines: more than 2,500 lines were rejected \(the limit, IPIC_IMPORT_MAX_REJECTED_LINES\); the first 2,500 are in .*newlines\.ndjson\.gz\.rejects\.ndjson\. The valid records before that point were imported and no one was marked absent/,
        )
        return true
      })

      const rejects = (await readFile(`${file}.rejects.ndjson`, 'utf8')).trimEnd().split('\n')
      assert.equal(rejects.length, 2_500)
      assert.deepEqual(JSON.parse(rejects[0] as string), {
        line: 2,
        personId: null,
        problems: ['line is empty'],
      })
      const [row] = await imports()
      assert.equal(row?.status, 'FAILED')
      assert.match(row?.failure ?? '', /more than 2,500 lines were rejected/)
      assert.equal(await personCount(), 1, 'the valid record before the stop was imported')
      assert.deepEqual(
        (await readdir(folder)).sort(),
        ['newlines.ndjson.gz', 'newlines.ndjson.gz.rejects.ndjson'],
        'no part-written file is left behind',
      )
    })

    it('keeps at most 20 problems for a line, saying how many more there were', async () => {
      const record: Record<string, unknown> = { ...validCaseRecord('P0001') }
      for (let i = 0; i < 500; i++) record[`extra${i}`] = i
      const file = join(folder, 'extract.ndjson')
      await writeFile(file, `${line('P0002')}${JSON.stringify(record)}\n`)

      await run(file)

      const [rejection] = (await readFile(`${file}.rejects.ndjson`, 'utf8')).trimEnd().split('\n')
      const { problems } = JSON.parse(rejection as string) as { problems: string[] }
      assert.equal(problems.length, 20)
      assert.equal(problems[0], 'extra0: is not a field the extract defines')
      assert.equal(problems[19], 'and 481 more problems in this line')
    })
  })

  describe('a file with nothing to import fails', () => {
    it('an empty file is refused before the import starts', async () => {
      const file = join(folder, 'empty.ndjson')
      await writeFile(file, '')
      await assert.rejects(run(file), new ImportFileError(`${file} is empty: nothing was imported`))
      assert.deepEqual(await imports(), [])
    })

    it('a gzip of nothing is recorded as failed', async () => {
      const file = join(folder, 'empty.ndjson.gz')
      await writeFile(file, gzipSync(Buffer.alloc(0)))
      await assert.rejects(run(file), (error: Error) => {
        assert.ok(error instanceof ImportFileError)
        assert.equal(error.message, `${file} holds no records; nothing was imported`)
        return true
      })
      assert.deepEqual(
        (await imports()).map((row) => row.status),
        ['FAILED'],
      )
    })

    it('a file whose every line is rejected names the rejects file', async () => {
      const file = join(folder, 'bad.ndjson')
      await writeFile(file, 'not json\n{"personId": "P1"}\n')
      await assert.rejects(run(file), (error: Error) => {
        assert.ok(error instanceof ImportFileError)
        assert.equal(
          error.message,
          `${file} holds no valid record: all 2 lines were rejected (see ${file}.rejects.ndjson); nothing was imported`,
        )
        return true
      })
      assert.deepEqual(await imports(), [
        {
          status: 'FAILED',
          failure: `${file} holds no valid record: all 2 lines were rejected (see ${file}.rejects.ndjson); nothing was imported`,
          rejected: 2,
        },
      ])
      assert.ok(existsSync(`${file}.rejects.ndjson`), 'the rejections are kept to be read')
    })
  })

  describe('a file that never ends is refused at once, with no import left running', () => {
    async function assertRefused(file: string, message: string) {
      await assert.rejects(run(file), (error: Error) => {
        assert.ok(error instanceof ImportFileError, String(error))
        assert.equal(error.message, message)
        return true
      })
      assert.deepEqual(await imports(), [])
    }

    it('a named pipe (opened without waiting for a writer)', async () => {
      const pipe = join(folder, 'extract.ndjson')
      execFileSync('mkfifo', [pipe])
      await assertRefused(pipe, `${pipe} is a named pipe, not an extract file: nothing was imported`)
    })

    it('a device such as /dev/zero, also through a link', async () => {
      await assertRefused('/dev/zero', '/dev/zero is a device, not an extract file: nothing was imported')
      const link = join(folder, 'extract.ndjson')
      await symlink('/dev/zero', link)
      await assertRefused(link, `${link} is a device, not an extract file: nothing was imported`)
    })

    it('a folder', async () => {
      const inner = join(folder, 'extract.ndjson')
      await mkdir(inner)
      await assertRefused(inner, `${inner} is a folder, not an extract file: nothing was imported`)
    })
  })
})
