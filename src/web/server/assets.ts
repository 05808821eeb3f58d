/**
 * Static files: the front-end packages' built CSS, JavaScript, fonts and
 * images, and the service's own stylesheet. Registered in a context of their
 * own, before sessions, so that fetching a font never touches the session
 * store.
 */
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import { paths } from '../paths.ts'
import { frontendPackages } from '../templates/frontend-packages.ts'

interface Mount {
  readonly prefix: string
  readonly root: string | string[]
  /** Only these files are served from a package's folder (not its Sass, templates or sources). */
  readonly files?: ReadonlySet<string>
}

const MOUNTS: readonly Mount[] = [
  // Both packages' CSS refer to /assets/fonts/… and /assets/images/…: one prefix serves both folders.
  { prefix: paths.assets.root(), root: [frontendPackages.govukAssets, frontendPackages.mojAssets] },
  {
    prefix: paths.assets.govukFrontend(),
    root: frontendPackages.govukBuilt,
    files: new Set(['govuk-frontend.min.css', 'govuk-frontend.min.js']),
  },
  {
    prefix: paths.assets.mojFrontend(),
    root: frontendPackages.mojBuilt,
    files: new Set(['moj-frontend.min.css', 'moj-frontend.min.js']),
  },
  {
    prefix: paths.assets.accessibleAutocomplete(),
    root: frontendPackages.accessibleAutocompleteBuilt,
    files: new Set(['accessible-autocomplete.min.css', 'accessible-autocomplete.min.js']),
  },
  { prefix: paths.assets.application(), root: join(import.meta.dirname, '..', 'public') },
]

export async function registerAssets(app: FastifyInstance, options: { production: boolean }): Promise<void> {
  // @fastify/static takes no route config of its own: every route it adds here is public.
  app.addHook('onRoute', (route) => {
    route.config = { ...route.config, public: true }
  })
  for (const [index, mount] of MOUNTS.entries()) {
    const allowed = mount.files
    await app.register(fastifyStatic, {
      root: mount.root,
      prefix: mount.prefix,
      // Only the first registration may decorate the reply with sendFile.
      decorateReply: index === 0,
      index: false,
      list: false,
      maxAge: options.production ? '1h' : 0,
      ...(allowed ? { allowedPath: (pathName: string) => allowed.has(pathName.replace(/^\//, '')) } : {}),
    })
  }
}
