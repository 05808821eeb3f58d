/**
 * Choosing the ROM region to review in: /review-tasks/region, skipped for
 * someone with only one.
 */
import type { FastifyInstance } from 'fastify'
import { z } from 'zod'
import { scopeOf } from '../../../access/region-scope.ts'
import { messages } from '../../messages.ts'
import { paths } from '../../paths.ts'
import { ForbiddenError, signedInUser } from '../../server/guards.ts'
import { formErrors, NO_FORM_ERRORS } from '../../view-models/forms.ts'
import { regionPage } from '../../view-models/review.ts'
import type { RouteDependencies } from '../dependencies.ts'
import { mayReview } from './pages.ts'
import { onlyRegion, rememberRegion, savedReview } from './saved-review.ts'

const regionForm = z.object({ region: z.string().max(50).catch('').optional().default('') })

export async function reviewRegionRoutes(app: FastifyInstance, deps: RouteDependencies): Promise<void> {
  const { searchChoices } = deps.services

  app.get(paths.reviewRegion(), mayReview, async (request, reply) => {
    const regions = searchChoices.regionsFor(scopeOf(signedInUser(request)))
    if (regions.length === 0) throw new ForbiddenError('the user has no ROM region')
    const only = onlyRegion(request, regions)
    if (only) return reply.redirect(paths.reviewSearch(only), 303)
    return reply.view('review/region', regionPage(regions, savedReview(request)?.region, NO_FORM_ERRORS))
  })

  app.post(paths.reviewRegion(), mayReview, async (request, reply) => {
    const { region } = regionForm.parse(request.body ?? {})
    const regions = searchChoices.regionsFor(scopeOf(signedInUser(request)))
    if (region === '') {
      const errors = formErrors([{ field: 'region', message: messages.review.regionMissing }])
      return reply.code(400).view('review/region', regionPage(regions, undefined, errors))
    }
    // Only a tampered form can name a region that was not offered.
    if (!regions.some((option) => option.code === region)) {
      throw new ForbiddenError(`region ${region} is not one of the user's`)
    }
    rememberRegion(request, region)
    return reply.redirect(paths.reviewSearch(region), 303)
  })
}
