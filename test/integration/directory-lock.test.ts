import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { openDatabase } from '../../src/db/connect.ts'
import { DirectoryInUseError, lockDirectory } from '../../src/db/directory-lock.ts'

describe('the embedded database directory lock', () => {
  let directory: string
  before(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ipic-lock-'))
  })
  after(() => rm(directory, { recursive: true, force: true }))

  it('refuses a second holder while the first is alive, and frees the directory on release', () => {
    const first = lockDirectory(directory)
    assert.throws(
      () => lockDirectory(directory),
      (error: unknown) =>
        error instanceof DirectoryInUseError && error.message.includes(`in use by process ${process.pid}`),
    )
    first.release()
    assert.equal(existsSync(join(directory, 'ipic.lock')), false)
    lockDirectory(directory).release()
  })

  it('takes over a lock left behind by a process that has died', async () => {
    const child = spawn(process.execPath, ['-e', ''])
    const deadPid = child.pid!
    await new Promise((resolve) => child.on('exit', resolve))
    await writeFile(join(directory, 'ipic.lock'), JSON.stringify({ pid: deadPid, host: hostname() }))
    const lock = lockDirectory(directory)
    lock.release()
  })

  it('stops a second process from opening the same PGlite data directory', async () => {
    const dataDir = join(directory, 'data')
    const database = await openDatabase({ kind: 'pglite', dataDir })
    try {
      const script = `
        import { openDatabase } from ${JSON.stringify(new URL('../../src/db/connect.ts', import.meta.url).href)}
        try { await openDatabase({ kind: 'pglite', dataDir: ${JSON.stringify(dataDir)} }); process.exit(0) }
        catch (error) { console.error(error.message); process.exit(error.name === 'Error' && /in use by process/.test(error.message) ? 3 : 4) }`
      const second = spawn(process.execPath, ['--input-type=module', '-e', script], {
        stdio: ['ignore', 'ignore', 'pipe'],
      })
      let stderr = ''
      second.stderr.on('data', (chunk) => {
        stderr += chunk
      })
      const code = await new Promise((resolve) => second.on('exit', resolve))
      assert.equal(code, 3, stderr)
      assert.match(stderr, new RegExp(`in use by process ${process.pid}`))
    } finally {
      await database.close()
    }
  })
})
