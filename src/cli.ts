#!/usr/bin/env node
/**
 * `ipic`: the one entry point for every operation. Each command's work lives
 * in src/commands/; they are loaded on demand so that `ipic --help` is quick.
 */
import { Command, InvalidArgumentError, Option } from 'commander'

function positiveInteger(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number, 0 or more')
  return n
}

const program = new Command('ipic')
  .description('Identify and prioritise immigration cases')
  .showHelpAfterError()
  .configureOutput({ outputError: (text, write) => write(text) })

program
  .command('serve')
  .description('start the web service (and, on the embedded database, seed demo data on first run)')
  .action(async () => (await import('./commands/serve.ts')).serve())

program
  .command('migrate')
  .description('apply database migrations and load the reference data from reference/')
  .action(async () => (await import('./commands/migrate.ts')).migrate())

program
  .command('generate')
  .description('write a synthetic case extract (NDJSON; gzip when FILE ends in .gz)')
  .requiredOption('--persons <n>', 'how many persons', positiveInteger)
  .option('--seed <s>', 'random seed: the same seed writes the same file', positiveInteger, 1)
  .requiredOption('--out <file>', 'where to write the extract')
  .option('--today <date>', 'the date the extract is made on (YYYY-MM-DD); default: today')
  .option(
    '--profile <profile>',
    'realistic: about one person in six has a task; stress: nearly one task per person',
    'realistic',
  )
  .action(async (options) => (await import('./commands/generate.ts')).generate(options))

program
  .command('import')
  .description('validate and import a case extract (NDJSON, plain or gzip)')
  .argument('<file>', 'the extract')
  .option('--full', 'the extract holds every person: mark those missing from it as no longer present')
  .option(
    '--allow-mass-absence',
    'with --full: mark persons absent even when they are more than IPIC_FULL_IMPORT_MAX_ABSENT_PERCENT of those present',
  )
  .option('--no-rules', 'do not evaluate the rules after the import')
  .action(async (file, options) => (await import('./commands/import.ts')).importExtract(file, options))

const rules = program
  .command('rules')
  .description('check, test, run, simulate and publish the business rules')
rules
  .command('check')
  .description('load and validate every rule file')
  .option('--rules <dir>', 'the rule set directory (default: IPIC_RULES_DIR or ./rules)')
  .action(async (options) => (await import('./commands/rules-check.ts')).checkRules(options))
rules
  .command('test')
  .description("run every rule file's own test cases against the database engine")
  .option('--rules <dir>', 'the rule set directory (default: IPIC_RULES_DIR or ./rules)')
  .option('--on-configured-database', 'run on the configured database (in a transaction that is rolled back)')
  .action(async (options) => (await import('./commands/rules-test.ts')).testRules(options))
rules
  .command('run')
  .description('evaluate the rule set over all current persons and update the recommended tasks')
  .option('--full', 'evaluate every person, even when only some changed since the last run today')
  .action(async (options) => (await import('./commands/rules-run.ts')).runRulesCommand(options))
rules
  .command('simulate')
  .description(
    "report what a draft rule set would change against the live one (the last rule run's) over today's data, writing nothing",
  )
  .requiredOption('--rules <dir>', 'the draft rule set directory')
  .addOption(new Option('--format <format>', 'text or json').choices(['text', 'json']).default('text'))
  .action(async (options) => (await import('./commands/rules-simulate.ts')).simulateRules(options))
rules
  .command('facts')
  .description(
    'rebuild the person facts the rules read, check them against a fresh computation, or prune their history',
  )
  .option('--rebuild', 'replace every row with a fresh computation from persons and their lists')
  .option('--check', 'list the persons whose row differs from a fresh computation; exits 1 when any do')
  .option('--prune', 'remove the facts versions no task names and no person holds as current')
  .action(async (options) => (await import('./commands/rules-facts.ts')).rulesFactsCommand(options))
rules
  .command('publish')
  .description(
    'check and test a rule set, report its impact against the live rule set and store it as published, so that rule runs may use it',
  )
  .argument('<dir>', 'the rule set directory')
  .option('--notes <text>', 'what changed and why (required)')
  .option('--by <user>', 'the user ID of the rule author it is published for')
  .action(async (dir, options) =>
    (await import('./commands/rules-publish.ts')).publishRulesCommand(dir, options),
  )

program
  .command('transparency')
  .description(
    'print the algorithmic transparency record, made from the live data and reference/transparency.yaml; exits 1 while a required field is empty',
  )
  .addOption(
    new Option('--format <format>', 'markdown, json or html')
      .choices(['markdown', 'json', 'html'])
      .default('markdown'),
  )
  .action(async (options) => (await import('./commands/transparency.ts')).transparencyCommand(options))

const users = program
  .command('users')
  .description('add the first users, and recover access: every change is in the audit trail')
users
  .command('add')
  .description('create a user')
  .requiredOption('--id <id>', 'user ID (network login)')
  .requiredOption('--name <name>', 'full name')
  .option('--email <email>', 'email address')
  .option(
    '--role <role...>',
    'role(s), in any letter case: caseworker, manager, rule_author, mi_analyst, admin, auditor',
  )
  .requiredOption('--region <code...>', 'ROM region code(s), or all')
  .option('--password-stdin', 'read the password from standard input')
  .action(async (options) => (await import('./commands/users.ts')).addUserCommand(options))
users
  .command('list')
  .description('list users')
  .action(async () => (await import('./commands/users.ts')).listUsersCommand())
users
  .command('deactivate')
  .description('deactivate a user: they cannot sign in, and their sessions end at once')
  .requiredOption('--id <id>', 'user ID')
  .action(async (options) => (await import('./commands/users.ts')).setActiveCommand(options, false))
users
  .command('reactivate')
  .description('let a deactivated user sign in again')
  .requiredOption('--id <id>', 'user ID')
  .action(async (options) => (await import('./commands/users.ts')).setActiveCommand(options, true))
users
  .command('set-roles')
  .description("replace a user's roles, and their regions when --region is given")
  .requiredOption('--id <id>', 'user ID')
  .requiredOption('--role <role...>', 'role(s), in any letter case')
  .option('--region <code...>', 'ROM region code(s), or all (default: the regions they have)')
  .action(async (options) => (await import('./commands/users.ts')).setRolesCommand(options))

const clients = program
  .command('clients')
  .description('the systems that call the API: every change is in the audit trail')
clients
  .command('add')
  .description('register a client; prints its ID and secret, the secret only this once')
  .requiredOption('--name <name>', 'the system, as people know it')
  .requiredOption(
    '--scopes <scope...>',
    'tasks:read, tasks:decide, persons:read, rules:read, rules:run, mi:export, events:read',
  )
  .requiredOption('--regions <code...>', 'ROM region code(s), or all')
  .option(
    '--provider-client-id <id>',
    "the OpenID provider's ID for the client, when its tokens come from the provider",
  )
  .action(async (options) => (await import('./commands/clients.ts')).addClientCommand(options))
clients
  .command('list')
  .description('list the clients, revoked ones last')
  .action(async () => (await import('./commands/clients.ts')).listClientsCommand())
clients
  .command('revoke')
  .description('revoke a client: its tokens are refused at once, and it gets no more')
  .argument('<id>', 'the client ID')
  .action(async (id) => (await import('./commands/clients.ts')).revokeClientCommand(id))

const subscribers = program
  .command('subscribers')
  .description(
    'the systems that receive decision events as signed webhooks: every change is in the audit trail',
  )
subscribers
  .command('add')
  .description('add a subscriber; prints its signing secret, only this once; it receives events from now on')
  .argument('<url>', 'where the events are posted: http(s), not this service')
  .option('--name <name>', "the system, as people know it (default: the URL's host)")
  .option(
    '--types <type...>',
    'only these event types (default: all): task.recommended, task.accepted, task.rejected, task.held, task.withdrawn',
  )
  .action(async (url, options) =>
    (await import('./commands/subscribers.ts')).addSubscriberCommand(url, options),
  )
subscribers
  .command('list')
  .description('list the subscribers: deliveries, failures and how many events wait for each')
  .action(async () => (await import('./commands/subscribers.ts')).listSubscribersCommand())
subscribers
  .command('remove')
  .description('remove a subscriber: it receives no more events')
  .argument('<id>', 'the subscriber ID')
  .action(async (id) => (await import('./commands/subscribers.ts')).removeSubscriberCommand(id))
subscribers
  .command('pause')
  .description('stop delivering to a subscriber: its events wait until it is resumed')
  .argument('<id>', 'the subscriber ID')
  .action(async (id) => (await import('./commands/subscribers.ts')).pauseSubscriberCommand(id, true))
subscribers
  .command('resume')
  .description('deliver again to a paused subscriber, from where it stopped')
  .argument('<id>', 'the subscriber ID')
  .action(async (id) => (await import('./commands/subscribers.ts')).pauseSubscriberCommand(id, false))
subscribers
  .command('replay')
  .description('deliver again every event from a point in time on')
  .argument('<id>', 'the subscriber ID')
  .requiredOption('--from <date-time>', 'an ISO 8601 date and time, like 2026-03-27T09:30:00Z')
  .action(async (id, options) =>
    (await import('./commands/subscribers.ts')).replaySubscriberCommand(id, options.from),
  )

program
  .command('audit')
  .description('the audit trail')
  .command('purge')
  .description('delete audit events older than IPIC_AUDIT_RETENTION_DAYS, and record that it did')
  .action(async () => (await import('./commands/audit.ts')).purgeAuditCommand())

const jobs = program
  .command('jobs')
  .description('background jobs: the rule runs after imports, the audit purge, the session clean-up')
jobs
  .command('list', { isDefault: true })
  .description('list the recent jobs of every instance, newest first (the default)')
  .option('--limit <n>', 'how many', positiveInteger, 50)
  .addOption(
    new Option('--state <state...>', 'only jobs in these states').choices([
      'queued',
      'running',
      'retrying',
      'completed',
      'failed',
      'cancelled',
    ]),
  )
  .action(async (options) => (await import('./commands/jobs.ts')).listJobsCommand(options))
jobs
  .command('retry')
  .description('give a failed job another attempt')
  .argument('<id>', 'the job ID, as "ipic jobs" lists it')
  .action(async (id) => (await import('./commands/jobs.ts')).retryJobCommand(id))
jobs
  .command('work')
  .description('work the job queue without serving pages, until stopped')
  .action(async () => (await import('./commands/jobs.ts')).workJobsCommand())

try {
  await program.parseAsync()
} catch (error) {
  const { reportCommandError } = await import('./commands/errors.ts')
  process.exitCode = reportCommandError(error)
}
