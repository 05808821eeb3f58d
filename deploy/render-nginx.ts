/**
 * Renders deploy/nginx/*.conf into a directory, filling their placeholders:
 *
 *   node deploy/render-nginx.ts --out DIR --listen 127.0.0.1:8080 \
 *     --instance 127.0.0.1:3001 --instance 127.0.0.1:3002 [--log-dir DIR]
 *
 * - ${IPIC_LISTEN}: where nginx listens (address:port, or a port);
 * - ${IPIC_INSTANCE}: a service instance (address:port); the line holding
 *   it is written once per --instance, in the order given;
 * - ${IPIC_LOG_DIR}: where logs, the pid file and temporary files go
 *   (default: the output directory).
 *
 * Nothing else in the files is changed, so what runs is what is shipped.
 * A placeholder without a value, or an unknown one, stops the rendering.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'

export const NGINX_TEMPLATES = resolve(import.meta.dirname, 'nginx')

export interface NginxSettings {
  readonly listen: string
  readonly instances: readonly string[]
  readonly logDir: string
}

const PLACEHOLDER = /\$\{([A-Z_]+)\}/g
const ADDRESS = /^[A-Za-z0-9.:[\]-]+$/
/** The placeholder whose line is repeated once per instance. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: the configuration's own placeholder, not a template
const INSTANCE_PLACEHOLDER = '${IPIC_INSTANCE}'

/** One template's text with its placeholders filled. */
export function renderTemplate(text: string, settings: NginxSettings): string {
  for (const value of [settings.listen, ...settings.instances]) {
    if (!ADDRESS.test(value)) throw new Error(`not an address or port: ${JSON.stringify(value)}`)
  }
  if (settings.instances.length === 0) throw new Error('at least one --instance is needed')
  const values: Record<string, string> = { IPIC_LISTEN: settings.listen, IPIC_LOG_DIR: settings.logDir }
  const fill = (line: string, instance?: string) =>
    line.replace(PLACEHOLDER, (_, name: string) => {
      const value = name === 'IPIC_INSTANCE' ? instance : values[name]
      if (value === undefined) throw new Error(`no value for the placeholder \${${name}}`)
      return value
    })
  return text
    .split('\n')
    .flatMap((line) =>
      line.includes(INSTANCE_PLACEHOLDER) ? settings.instances.map((one) => fill(line, one)) : [fill(line)],
    )
    .join('\n')
}

/** Writes every template, rendered, into `out`; returns the main configuration's path. */
export async function renderNginx(out: string, settings: NginxSettings): Promise<string> {
  await mkdir(out, { recursive: true })
  for (const name of await readdir(NGINX_TEMPLATES)) {
    const text = await readFile(join(NGINX_TEMPLATES, name), 'utf8')
    await writeFile(join(out, name), renderTemplate(text, settings))
  }
  return join(out, 'nginx.conf')
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      out: { type: 'string' },
      listen: { type: 'string' },
      instance: { type: 'string', multiple: true },
      'log-dir': { type: 'string' },
    },
  })
  if (!values.out || !values.listen || !values.instance) {
    process.stderr.write(
      'usage: node deploy/render-nginx.ts --out DIR --listen ADDRESS --instance ADDRESS... [--log-dir DIR]\n',
    )
    process.exit(2)
  }
  const out = resolve(values.out)
  const main = await renderNginx(out, {
    listen: values.listen,
    instances: values.instance,
    logDir: resolve(values['log-dir'] ?? out),
  })
  process.stdout.write(`${main}\n`)
}
