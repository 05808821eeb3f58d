import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { describe, it } from 'node:test'
import { SERVICE_NODE_FLAGS } from '../../bench/support/node-flags.ts'

const ROOT = resolve(import.meta.dirname, '../..')

/**
 * A shebang and an npm script cannot import a constant, so the service's
 * Node flags are written in three places; this keeps them the same.
 */
describe('the Node flags the service runs with', () => {
  it('are the same in bin/ipic.js, the npm scripts and the benchmarks', async () => {
    const flags = SERVICE_NODE_FLAGS.join(' ')
    const [shebang] = (await readFile(resolve(ROOT, 'bin/ipic.js'), 'utf8')).split('\n')
    assert.equal(shebang, `#!/usr/bin/env -S node ${flags}`)
    const { scripts } = JSON.parse(await readFile(resolve(ROOT, 'package.json'), 'utf8'))
    assert.equal(scripts.start, `node ${flags} src/cli.ts serve`)
    assert.equal(scripts.ipic, `node ${flags} src/cli.ts`)
  })
})
