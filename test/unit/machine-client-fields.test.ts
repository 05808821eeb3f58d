/**
 * A new API client's details as typed: each problem named by its field and
 * code, nothing invented; scopes kept in their catalogue order and mapped
 * onto the roles' permissions.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { API_SCOPES, permissionsOf, SCOPE_PERMISSIONS } from '../../src/access/api-scopes.ts'
import { checkClientDetails } from '../../src/access/machine-client-fields.ts'
import { PERMISSIONS } from '../../src/access/permissions.ts'

const REGIONS = ['LSE', 'MEE', 'NW']

describe('an API client’s details', () => {
  it('keeps scopes in catalogue order, once each, and regions in reference order', () => {
    const checked = checkClientDetails(
      {
        name: '  Case management  ',
        scopes: ['tasks:decide', 'tasks:read', 'tasks:decide'],
        regions: ['NW', 'LSE', 'NW'],
      },
      REGIONS,
    )
    assert.deepEqual(checked, {
      ok: true,
      details: {
        name: 'Case management',
        scopes: ['tasks:read', 'tasks:decide'],
        regions: { all: false, codes: ['LSE', 'NW'] },
        providerClientId: undefined,
      },
    })
    const all = checkClientDetails(
      { name: 'MI', scopes: ['mi:export'], regions: 'all', providerClientId: ' mi-system ' },
      REGIONS,
    )
    assert.ok(all.ok)
    assert.deepEqual(all.details.regions, { all: true })
    assert.equal(all.details.providerClientId, 'mi-system')
  })

  it('names each problem by field and code', () => {
    assert.deepEqual(checkClientDetails({ name: '', scopes: [], regions: [] }, REGIONS), {
      ok: false,
      problems: [
        { field: 'name', code: 'clientNameMissing' },
        { field: 'scopes', code: 'clientScopesMissing' },
        { field: 'regions', code: 'clientRegionsMissing' },
      ],
    })
    assert.deepEqual(
      checkClientDetails(
        {
          name: 'x'.repeat(101),
          scopes: ['tasks:read', 'admin'],
          regions: ['LSE', 'ZZZ'],
          providerClientId: 'a b',
        },
        REGIONS,
      ),
      {
        ok: false,
        problems: [
          { field: 'name', code: 'clientNameTooLong', params: { maxLength: 100 } },
          { field: 'scopes', code: 'clientScopeUnknown', params: { scope: 'admin' } },
          { field: 'regions', code: 'clientRegionUnknown', params: { region: 'ZZZ' } },
          { field: 'providerClientId', code: 'clientIdInvalid' },
        ],
      },
    )
    const hidden = checkClientDetails({ name: 'A\u0000B', scopes: ['tasks:read'], regions: 'all' }, REGIONS)
    assert.deepEqual(hidden.ok ? [] : hidden.problems, [
      { field: 'name', code: 'clientNameHiddenCharacters' },
    ])
  })

  it('maps every scope onto permissions the roles already have', () => {
    for (const scope of API_SCOPES) {
      assert.ok(SCOPE_PERMISSIONS[scope].length > 0, scope)
      for (const permission of SCOPE_PERMISSIONS[scope])
        assert.ok(PERMISSIONS.includes(permission), permission)
    }
    assert.deepEqual([...permissionsOf(['tasks:read', 'persons:read'])], ['tasks:review', 'cases:read'])
    assert.deepEqual([...permissionsOf([])], [])
  })
})
