/**
 * Reads every input into a typed, validated plan. No I/O beyond the environment: bad input fails here,
 * before any request to the Hub. The token is masked the moment it is read, before anything can log it.
 */
import { ActionError, badInput } from '../errors.js'
import { NEVER_SLEEP } from '../hub/types.js'
import { formatDuration, parseDuration } from './duration.js'
import { chooseCredentials, MissingCredentials } from './credentials.js'
import { parseKeys, parseKeyValues } from './key-values.js'
import {
  DEFAULT_ENDPOINT,
  DEPLOYMENT_MODES,
  Input,
  SDKS,
  STORAGE_TIERS,
  TEARDOWNS,
  type InputName,
  repoIdProblem,
  type StorageTier
} from './names.js'
import { readTargets } from './targets.js'
import { readVolumes } from './volumes.js'
import { OPERATION_NAMES, OPERATIONS, type FieldReader, type Operation } from './operations.js'
import type { CommonPlan, GitHubPlan, Plan, SpaceSettings } from './plan.js'

export interface InputSource {
  /** The trimmed value of an input, '' when unset (as `core.getInput` gives it). */
  get(name: string): string
  env: NodeJS.ProcessEnv
  /** Registers a secret with the runner so it is masked in every later log line. */
  mask(secret: string): void
}

/** Inputs only some operations use (per the table); any other operation given one fails, so a typo cannot silently do something else. */
const USED_BY = new Map<InputName, Operation[]>()
for (const name of OPERATION_NAMES) {
  for (const input of OPERATIONS[name].allows) USED_BY.set(input, [...(USED_BY.get(input) ?? []), name])
}

/** Node's timers wait at most 2^31-1 ms (about 24.8 days): a longer `timeout` would fire at once. */
const MAX_TIMEOUT_S = 24 * 86400
/** The largest sleep time the Hub's integer field holds (about 68 years; `never` turns sleeping off). */
const MAX_SLEEP_S = 2 ** 31 - 1

export function readInputs(source: InputSource): Plan {
  const token = readToken(source)
  const spaceText = source.get(Input.spaceId)
  const targets = /[\n*?]/.test(spaceText) ? readTargets(spaceText) : undefined
  // Several Spaces (or a pattern) make a fleet plan; its spaceId only names it until the fleet step splits it.
  const fleet = targets && (targets.patterns.length > 0 || targets.ids.length > 1) ? targets : undefined
  const spaceId = fleet
    ? (fleet.ids[0] ?? fleet.patterns[0]?.text ?? '')
    : readSpaceId(targets?.ids[0] ?? spaceText)
  const operation = oneOf(Input.operation, source.get(Input.operation) || 'runtime', OPERATION_NAMES)
  const teardown = oneOf(Input.teardown, source.get(Input.teardown) || 'none', TEARDOWNS)
  const endpoint = readEndpoint(source.get(Input.endpoint) || source.env.HF_ENDPOINT || DEFAULT_ENDPOINT)

  const hardwareText = source.get(Input.hardware).toLowerCase()
  const sleepText = source.get(Input.sleepTime)
  const factoryReboot = readBoolean(Input.factoryReboot, source.get(Input.factoryReboot), false)
  const prune = readBoolean(Input.prune, source.get(Input.prune), false)
  const createPr = readBoolean(Input.createPr, source.get(Input.createPr), false)
  const restartIfNoBuild = readBoolean(Input.restartIfNoBuild, source.get(Input.restartIfNoBuild), false)
  // Defaulted by action.yml, so always given: checked for every operation, used by the commit waits.
  const buildStartSeconds = readBuildStartTimeout(source.get(Input.buildStartTimeout) || '60s')
  const flags: Record<string, boolean> = {
    [Input.factoryReboot]: factoryReboot,
    [Input.prune]: prune,
    [Input.createPr]: createPr,
    [Input.restartIfNoBuild]: restartIfNoBuild
  }

  const given = (name: string): boolean => flags[name] ?? source.get(name) !== ''
  const spec = OPERATIONS[operation]
  if (fleet && !spec.fleet) {
    throw badInput(
      `\`operation: ${operation}\` takes one Space, and \`space-id\` lists several or a pattern.`,
      `Several Spaces and owner/* patterns are for ${OPERATION_NAMES.filter(name => OPERATIONS[name].fleet).join(', ')}.`
    )
  }
  for (const [input, hint] of Object.entries(spec.requires ?? {})) {
    if (!given(input))
      throw badInput(`Input \`${input}\` is required with \`operation: ${operation}\`.`, hint)
  }
  for (const [name, operations] of USED_BY) {
    if (given(name) && !operations.includes(operation)) {
      throw badInput(`Input \`${name}\` is only used by ${operations.join(', ')}, not by \`${operation}\`.`)
    }
  }
  if (hardwareText && !/^[a-z0-9][a-z0-9-]*$/.test(hardwareText)) {
    throw badInput(
      `Input \`hardware\` is not a flavor name: "${hardwareText}".`,
      'Flavors look like t4-small or cpu-basic.'
    )
  }
  const fromSpace = source.get(Input.fromSpace)
    ? readSpaceId(source.get(Input.fromSpace), Input.fromSpace)
    : undefined
  if (fromSpace === spaceId) throw badInput('`from-space` and `space-id` are the same Space.')

  // Secret values are masked as soon as they are read, each line too (a PEM key is logged line by line); a line
  // that does not parse is masked before the error is raised.
  const secrets = parseKeyValues(source.get(Input.secrets), Input.secrets, source.env, text =>
    source.mask(text)
  )
  for (const { value } of secrets) {
    source.mask(value)
    for (const line of value.split('\n'))
      if (line.trim().length >= 8 && line !== value) source.mask(line.trim())
  }
  const variables = parseKeyValues(source.get(Input.variables), Input.variables, source.env)
  for (const [name, entries] of [
    [Input.secrets, secrets],
    [Input.variables, variables]
  ] as const) {
    if (source.get(name) && !entries.length) {
      throw badInput(
        `Input \`${name}\` holds no KEY=value line, only comments or blank lines.`,
        'Add one KEY=value (or a bare KEY read from env) per line, or remove the input.'
      )
    }
  }

  const allowedHardware = readPatterns(source.get(Input.allowedHardware))
  if (
    hardwareText &&
    allowedHardware.length &&
    !allowedHardware.some(pattern => matches(pattern, hardwareText))
  ) {
    throw badInput(
      `Hardware "${hardwareText}" is not in \`allowed-hardware\` (${allowedHardware.join(', ')}).`,
      'Request an allowed flavor, or change the list in the workflow.'
    )
  }

  const writes = spec.writes || teardown !== 'none'
  const credentials = chooseCredentials(token, writes, source.env)
  // `wait` only writes to wake a sleeping Space: without credentials it still waits, and says so if it must wake.
  if (writes && credentials.kind === 'anonymous' && (operation !== 'wait' || teardown !== 'none')) {
    throw new MissingCredentials(
      `Hugging Face credentials are needed for \`operation: ${operation}\`${teardown !== 'none' ? ` and \`teardown: ${teardown}\`` : ''}.`
    )
  }

  if (credentials.kind === 'oidc' && fleet) {
    throw badInput(
      'Several Spaces need a token: a keyless (OIDC) token is scoped to one Space.',
      'Add env: HF_TOKEN: ${{ secrets.HF_TOKEN }} with a token that may write to every listed Space.'
    )
  }
  if (credentials.kind === 'oidc' && spec.creates) {
    throw badInput(
      `\`operation: ${operation}\` needs a token: a keyless (OIDC) token is scoped to one existing Space and cannot create repositories.`,
      'Add env: HF_TOKEN: ${{ secrets.HF_TOKEN }} with a token that may create Spaces in the namespace.'
    )
  }

  const url = new URL(endpoint)
  if (url.protocol === 'http:' && credentials.kind !== 'anonymous' && !isLoopback(url.hostname)) {
    throw badInput(
      `Refusing to send the token over plain http to ${url.host}.`,
      'Use an https:// endpoint; plain http is accepted only for loopback addresses (a local emulator).'
    )
  }

  const settings = (): SpaceSettings => ({
    hardware: hardwareText || undefined,
    sleepSeconds: sleepSeconds(),
    private: source.get(Input.private)
      ? readBoolean(Input.private, source.get(Input.private), false)
      : undefined,
    existOk: readBoolean(Input.existOk, source.get(Input.existOk), true),
    secrets,
    variables,
    storage: storage(),
    volumes: volumes()
  })
  const volumes = (): ReturnType<typeof readVolumes> => readVolumes(source.get(Input.volumes))
  const sleepSeconds = (): number | undefined => (sleepText ? readSleepTime(sleepText) : undefined)
  const storage = (): StorageTier | undefined =>
    source.get(Input.storage)
      ? oneOf(Input.storage, source.get(Input.storage).toLowerCase(), STORAGE_TIERS)
      : undefined
  const read: FieldReader = {
    hardware: () => hardwareText || undefined,
    sleepSeconds,
    factoryReboot: () => factoryReboot,
    settings,
    create: () => ({
      ...settings(),
      sdk: read.required(
        Input.sdk,
        source.get(Input.sdk) ? oneOf(Input.sdk, source.get(Input.sdk).toLowerCase(), SDKS) : undefined
      )
    }),
    fromSpace: () => fromSpace,
    secrets: () => secrets,
    variables: () => variables,
    keys: () => readKeys(source.get(Input.keys)),
    prune: () => prune,
    storage,
    volumes,
    upload: () => ({
      folder: source.get(Input.folder) || '.',
      pathInRepo: readPathInRepo(source.get(Input.pathInRepo)),
      commitMessage: source.get(Input.commitMessage),
      ignore: readList(source.get(Input.ignore)),
      deletePatterns: readList(source.get(Input.delete)),
      createPr
    }),
    sha: () => readSha(source.get(Input.sha)),
    commitWait: () => ({ buildStartSeconds, restartIfNoBuild }),
    required: (input, value) => {
      if (value === undefined) throw new ActionError('bug', `Input \`${input}\` was checked but not read.`)
      return value
    }
  }

  const dryRun = readBoolean(Input.dryRun, source.get(Input.dryRun), false)
  const wait = readBoolean(Input.wait, source.get(Input.wait), true)
  const common: CommonPlan = {
    spaceId,
    credentials,
    endpoint,
    // A dry run sends no write, so there is nothing to wait for.
    wait: wait && !dryRun,
    timeoutSeconds: readTimeout(source.get(Input.timeout) || '30m'),
    teardown,
    allowedHardware,
    maxHourlyCost: readCost(source.get(Input.maxHourlyCost)),
    safetySleepSeconds: readSafetySleep(source.get(Input.safetySleepTime) || '1h'),
    dryRun,
    healthPath: readHealthPath(source.get(Input.healthPath)),
    ...(fleet ? { fleet } : {})
  }
  const github = readGitHub(source)
  if (github) common.github = github
  // The table pairs each operation with its fields; TypeScript cannot follow that pairing through a lookup.
  return { ...common, operation, ...(spec.fields(read) as object) } as Plan
}

/** The token input, else HF_TOKEN. Masked before any validation message could mention anything near it. */
export function readToken(source: InputSource): string | undefined {
  const token = source.get(Input.token) || source.env.HF_TOKEN?.trim() || ''
  if (!token) return undefined
  source.mask(token)
  if (/\s/.test(token))
    throw badInput('The token contains white space.', 'Copy the token again, without spaces or line breaks.')
  return token
}

/**
 * The GitHub side, or undefined when no GitHub feature is on (nothing of src/github/ is loaded then). The token is
 * masked as soon as it is read; it goes to the GitHub API only.
 */
export function readGitHub(source: InputSource): GitHubPlan | undefined {
  const environment = source.get(Input.environment) || undefined
  const prComment = readBoolean(Input.prComment, source.get(Input.prComment), false)
  const production = readBoolean(Input.productionEnvironment, source.get(Input.productionEnvironment), false)
  const deployment = oneOf(Input.deployment, source.get(Input.deployment) || 'create', DEPLOYMENT_MODES)
  if (environment && !/^[^\n\r]{1,255}$/.test(environment))
    throw badInput('Input `environment` must be one line of at most 255 characters.')
  if (!environment && (production || source.get(Input.deployment)))
    throw badInput(
      `Inputs \`${Input.productionEnvironment}\` and \`${Input.deployment}\` need \`${Input.environment}\`.`,
      'Name the GitHub environment the Space is deployed to, such as environment: preview.'
    )
  if (!environment && !prComment) return undefined
  const token = source.get(Input.githubToken)
  if (!token)
    throw badInput(
      `Input \`${Input.githubToken}\` is empty, and \`${environment ? Input.environment : Input.prComment}\` needs it.`,
      'Leave it at its default, ${{ github.token }}, and give the job the permissions the README lists.'
    )
  source.mask(token)
  return { token, environment, production, deployment, prComment }
}

/** owner/name, by the Hub's own rules (docs/hub-api.md §11). */
export function readSpaceId(text: string, input: string = Input.spaceId): string {
  if (!text)
    throw badInput(
      `Input \`${input}\` is required.`,
      'Set it to owner/name, as in https://huggingface.co/spaces/owner/name.'
    )
  const problem = repoIdProblem(text)
  if (problem) throw badInput(`Input \`${input}\` "${text}" is not a valid Space id: ${problem}.`)
  return text
}

/** The endpoint is never quoted back: it could hold credentials, which must not reach the log, outputs or state. */
export function readEndpoint(text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw badInput(
      'Input `endpoint` (or HF_ENDPOINT) is not a URL.',
      `Leave it empty for ${DEFAULT_ENDPOINT}.`
    )
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw badInput(`Input \`endpoint\` must be an http(s) URL, not "${url.protocol}".`)
  }
  if (url.username || url.password) {
    throw badInput(
      'Input `endpoint` (or HF_ENDPOINT) has a user name or password in it; they are not sent, and not shown here.',
      'Remove them from the URL: the Hub token goes in HF_TOKEN or the `token` input.'
    )
  }
  if (url.search || url.hash) throw badInput('Input `endpoint` must not have a query or fragment.')
  return url.toString().replace(/\/+$/, '')
}

export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '')
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host)
}

function readSleepTime(text: string, name: string = Input.sleepTime): number {
  const lower = text.toLowerCase()
  if (lower === 'never' || lower === '-1') return NEVER_SLEEP
  const seconds = parseDuration(lower)
  if (seconds === undefined) {
    throw badInput(
      `Input \`${name}\` "${text}" is not a sleep time.`,
      'Use whole seconds (3600), a duration with a unit (90s, 30m, 2h, 1h30m), or never.'
    )
  }
  return inRange(name, text, seconds, MAX_SLEEP_S, 'or never for no sleep time')
}

/** A duration between 1 s and `max` seconds, or an error that gives both limits. */
function inRange(name: string, text: string, seconds: number, max: number, more: string): number {
  if (seconds >= 1 && seconds <= max) return seconds
  throw badInput(
    `Input \`${name}\` "${text}" is out of range.`,
    `Use at least 1s and at most ${max} seconds (${formatDuration(max)}), ${more}.`
  )
}

/** .gitignore-style patterns, one per line: a comma belongs to the pattern (`data/{old,new}.csv`). */
function readList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map(item => item.trim())
    .filter(Boolean)
}

function readPathInRepo(text: string): string {
  const path = text.replace(/^\/+|\/+$/g, '')
  if (path.split('/').some(part => part === '..' || part === '.')) {
    throw badInput(`Input \`path-in-repo\` "${text}" may not contain "." or ".." parts.`)
  }
  return path
}

function readSha(text: string): string | undefined {
  if (!text) return undefined
  if (!/^[0-9a-f]{7,40}$/i.test(text))
    throw badInput(
      `Input \`sha\` "${text}" is not a commit sha.`,
      'Use the commit-sha output of an upload step.'
    )
  return text.toLowerCase()
}

/**
 * A path on the app's own host, and nothing that a URL parser could read as another host: `//host/`, `/\host/`
 * (WHATWG URLs read a backslash as "/"), an absolute URL, or control characters.
 */
function readHealthPath(text: string): string | undefined {
  if (!text) return undefined
  const problem = !text.startsWith('/')
    ? 'it must start with "/"'
    : /^\/[/\\]/.test(text) || text.includes('\\')
      ? 'it must not start with "//" or hold "\\": that names another host'
      : /[\s\p{Cc}]/u.test(text)
        ? 'it must not hold spaces or control characters'
        : new URL(text, 'https://app.invalid').origin !== 'https://app.invalid'
          ? 'it names another host'
          : null
  if (problem)
    throw badInput(
      `Input \`health-path\` "${text}" is not a path on the Space's own host: ${problem}.`,
      'For example / or /healthz.'
    )
  return text
}

function readSafetySleep(text: string): number | undefined {
  const seconds = readSleepTime(text, Input.safetySleepTime)
  return seconds === NEVER_SLEEP ? undefined : seconds
}

function readCost(text: string): number | undefined {
  if (!text) return undefined
  const value = Number(text.replace(/^\$/, ''))
  if (!/^\$?\d+(\.\d+)?$/.test(text) || !Number.isFinite(value)) {
    throw badInput(
      `Input \`max-hourly-cost\` "${text}" is not an amount in USD.`,
      'Write it as a number, such as 1.5.'
    )
  }
  return value
}

/** A list of flavors or patterns, separated by commas, spaces or new lines. */
function readPatterns(text: string): string[] {
  const patterns = text
    .toLowerCase()
    .split(/[\s,]+/)
    .filter(Boolean)
  if (text.trim() && !patterns.length) {
    throw badInput(
      'Input `allowed-hardware` names no flavor: it would allow any.',
      'List flavors or patterns such as t4-*.'
    )
  }
  for (const pattern of patterns) {
    if (!/^[a-z0-9*?][a-z0-9*?-]*$/.test(pattern)) {
      throw badInput(
        `Input \`allowed-hardware\` has "${pattern}", which is not a flavor or a pattern such as t4-*.`
      )
    }
  }
  return patterns
}

/** Glob match with `*` (any run of characters) and `?` (one character). */
export function matches(pattern: string, flavor: string): boolean {
  const regex = pattern.replace(/[*?]/g, c => (c === '*' ? '.*' : '.')).replace(/-/g, '\\-')
  return new RegExp(`^${regex}$`).test(flavor)
}

/** Long enough for the Hub to start a build, short enough that "no build started" is told within the hour. */
function readBuildStartTimeout(text: string): number {
  const seconds = parseDuration(text)
  if (seconds === undefined || seconds < 1 || seconds > 3600) {
    throw badInput(
      `Input \`build-start-timeout\` "${text}" is not a duration from 1s to 1h.`,
      'Use whole seconds or a duration such as 60s or 5m.'
    )
  }
  return seconds
}

function readTimeout(text: string): number {
  const seconds = parseDuration(text)
  if (seconds === undefined) {
    throw badInput(
      `Input \`timeout\` "${text}" is not a duration.`,
      'Use whole seconds or a duration such as 90s, 30m or 2h.'
    )
  }
  return inRange(Input.timeout, text, seconds, MAX_TIMEOUT_S, "since Node's timers cannot wait longer")
}

/** The keys to delete; a list that names none would delete nothing and say nothing. */
function readKeys(text: string): string[] {
  const keys = parseKeys(text, Input.keys)
  if (text && !keys.length) throw badInput('Input `keys` names no key.', 'List the keys to delete.')
  return keys
}

/** YAML 1.2 booleans, as `core.getBooleanInput` reads them, but with a default for an empty value. */
function readBoolean(name: string, text: string, fallback: boolean): boolean {
  if (!text) return fallback
  if (['true', 'True', 'TRUE'].includes(text)) return true
  if (['false', 'False', 'FALSE'].includes(text)) return false
  throw badInput(`Input \`${name}\` must be true or false, not "${text}".`)
}

function oneOf<T extends string>(name: string, text: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(text)) return text as T
  throw badInput(`Input \`${name}\` "${text}" is not one of: ${allowed.join(', ')}.`)
}
