import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { paths } from '../../../src/web/paths.ts'

describe('paths', () => {
  it('builds the pages’ URLs', () => {
    assert.equal(paths.home(), '/')
    assert.equal(paths.signIn(), '/sign-in')
    assert.equal(paths.signOut(), '/sign-out')
    assert.equal(paths.reviewTasks(), '/review-tasks')
    assert.equal(paths.miReport(), '/mi')
  })

  it('puts the return path in the sign-in URL, encoded', () => {
    assert.equal(
      paths.signIn('/review-tasks?page=2&sort=date'),
      '/sign-in?returnTo=%2Freview-tasks%3Fpage%3D2%26sort%3Ddate',
    )
    assert.equal(paths.signIn(undefined), '/sign-in')
  })

  it('keeps the assets under the prefixes the front-end CSS expects', () => {
    assert.equal(paths.assets.root(), '/assets')
    assert.ok(paths.assets.govukFrontendCss().startsWith(`${paths.assets.govukFrontend()}/`))
    assert.ok(paths.assets.mojFrontendJs().startsWith(`${paths.assets.mojFrontend()}/`))
  })
})
