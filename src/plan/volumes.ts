/**
 * The `volumes` input: one volume per line in the `hf` CLI's URI form, so a line copied from `hf spaces volumes` works:
 *
 *   hf://[TYPE/]ID[@REVISION][/PATH]:/MOUNT_PATH[:ro|:rw]
 *
 * TYPE is models, datasets, spaces or buckets (models when left out). The rules are those of huggingface_hub's
 * `parse_hf_mount` (docs/hub-api.md §6.7); its test cases are in test/unit/volumes.test.ts. Pure: a bad line
 * fails here, naming the line, before any request.
 */
import { badInput } from '../errors.js'
import type { Volume } from '../hub/types.js'
import { Input, repoIdProblem } from './names.js'

const PROTOCOL = 'hf://'
/** The types a volume may have, by their URI prefix. */
const PREFIXES: Record<string, Volume['type']> = {
  models: 'model',
  datasets: 'dataset',
  spaces: 'space',
  buckets: 'bucket'
}
const PLURAL = new Map<string, string>(Object.entries(PREFIXES).map(([plural, type]) => [type, plural]))
/** Revisions that hold a "/" (a PR ref, a conversion branch): matched before the first "/" splits off a path. */
const SPECIAL_REF = /^refs\/(?:convert\/[\w.-]+|pr\/\d+)/

/** Every volume of the input, in order; blank lines are skipped. Two volumes on one mount path are refused. */
export function readVolumes(text: string): Volume[] {
  const volumes: Volume[] = []
  const seen = new Map<string, number>()
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim()
    if (!line) continue
    const volume = parseVolume(line, index + 1)
    const earlier = seen.get(volume.mountPath)
    if (earlier !== undefined) {
      throw badInput(
        `Input \`${Input.volumes}\`, line ${index + 1}: ${volume.mountPath} is already mounted by line ${earlier}.`,
        'Mount each path once.'
      )
    }
    seen.set(volume.mountPath, index + 1)
    volumes.push(volume)
  }
  return volumes
}

/** One `hf://…:/mount[:ro|:rw]` line; `lineNumber` names it in the error. */
export function parseVolume(line: string, lineNumber = 1): Volume {
  const fail = (problem: string): never => {
    throw badInput(
      `Input \`${Input.volumes}\`, line ${lineNumber} "${line}": ${problem}`,
      'Write each volume as hf://[TYPE/]ID[@REVISION][/PATH]:/MOUNT_PATH[:ro|:rw], e.g. ' +
        'hf://buckets/org/bucket:/data or hf://datasets/org/ds:/data:ro (TYPE: models, datasets, spaces, buckets).'
    )
  }
  if (!line.startsWith(PROTOCOL)) fail(`must start with '${PROTOCOL}'.`)
  let body = line.slice(PROTOCOL.length)
  if (!body) fail(`nothing after '${PROTOCOL}'.`)

  let readOnly: boolean | undefined
  if (body.endsWith(':ro') || body.endsWith(':rw')) {
    readOnly = body.endsWith(':ro')
    body = body.slice(0, -3)
  }
  // Mount paths start with "/", so the last ":/" ends the source.
  const split = body.lastIndexOf(':/')
  if (split === -1) {
    fail(
      readOnly === undefined
        ? "missing mount path: expected ':<MOUNT_PATH>' (e.g. 'hf://org/model:/data')."
        : "':ro'/':rw' is only valid after a mount path (e.g. 'hf://…:/data:ro')."
    )
  }
  const location = body.slice(0, split)
  const mountPath = body.slice(split + 1)
  if (!location) fail('missing source before the mount path.')
  if (mountPath === '/') fail(`mount path must be a non-empty absolute path starting with '/', got '/'.`)

  const { type, rest } = splitType(location, fail)
  const source = type === 'bucket' ? parseBucket(rest, fail) : parseRepo(rest, fail)
  return {
    type,
    source: source.id,
    mountPath,
    ...(source.revision !== undefined ? { revision: source.revision } : {}),
    ...(readOnly !== undefined ? { readOnly } : {}),
    ...(source.path ? { path: source.path } : {})
  }
}

/** The line as the `hf` CLI writes it, with the type always explicit: the `volumes` output reads back as input. */
export function formatVolume(volume: Volume): string {
  const prefix = PLURAL.get(volume.type) ?? `${volume.type}s`
  const revision =
    volume.revision === undefined
      ? ''
      : `@${SPECIAL_REF.test(volume.revision) ? volume.revision : volume.revision.replace(/\//g, '%2F')}`
  const flag = volume.readOnly === undefined ? '' : volume.readOnly ? ':ro' : ':rw'
  return `${PROTOCOL}${prefix}/${volume.source}${revision}${volume.path ? `/${volume.path}` : ''}:${volume.mountPath}${flag}`
}

type Fail = (problem: string) => never

function splitType(location: string, fail: Fail): { type: Volume['type']; rest: string } {
  const slash = location.indexOf('/')
  const first = slash === -1 ? location : location.slice(0, slash)
  const type = PREFIXES[first]
  if (type && slash === -1) fail(`missing an id after '${first}': expected '${PROTOCOL}${first}/<ID>'.`)
  if (type) return { type, rest: location.slice(slash + 1) }
  if (first === 'kernels') fail('kernels cannot be mounted as volumes.')
  const plural = PLURAL.get(first)
  if (plural) fail(`the type prefix must be plural: did you mean '${plural}/'?`)
  return { type: 'model', rest: location }
}

interface Source {
  id: string
  revision?: string
  path: string
}

function parseBucket(location: string, fail: Fail): Source {
  const parts = location.replace(/^\/+|\/+$/g, '').split('/')
  const [namespace = '', name = ''] = parts
  if (!namespace || !name) fail(`the bucket id must be 'namespace/name', got '${location}'.`)
  const id = `${namespace}/${name}`
  if (id.includes('@')) fail("buckets have no revision: remove the '@…'.")
  return { id, path: checkPath(parts.slice(2).join('/'), fail) }
}

function parseRepo(location: string, fail: Fail): Source {
  const trimmed = location.replace(/^\/+|\/+$/g, '')
  if (!trimmed) fail('missing the repository id.')
  const at = trimmed.indexOf('@')
  let id: string
  let revision: string | undefined
  let path: string
  // An "@" after the id's one "/" is part of a file name, not a revision.
  if (at === -1 || (trimmed.slice(0, at).match(/\//g) ?? []).length > 1) {
    const parts = trimmed.split('/')
    if (parts.length < 2) fail(`the repository id must be 'namespace/name', got '${trimmed}'.`)
    id = `${parts[0] ?? ''}/${parts[1] ?? ''}`
    path = parts.slice(2).join('/')
  } else {
    id = trimmed.slice(0, at)
    if (!id.includes('/')) fail(`the repository id must be 'namespace/name', got '${id}'.`)
    const rest = trimmed.slice(at + 1)
    const special = SPECIAL_REF.exec(rest)?.[0]
    const slash = rest.indexOf('/')
    const rawRevision = special ?? (slash === -1 ? rest : rest.slice(0, slash))
    path = rest.slice(rawRevision.length).replace(/^\//, '')
    revision = decodeOr(rawRevision, fail)
    if (!revision) fail("empty revision after '@'.")
  }
  const problem = repoIdProblem(id)
  if (problem) fail(`'${id}' is not a repository id: ${problem}.`)
  return { id, ...(revision !== undefined ? { revision } : {}), path: checkPath(path, fail) }
}

function checkPath(path: string, fail: Fail): string {
  if (path.startsWith('/') || path.includes('//')) fail(`the path '${path}' has an empty segment.`)
  return path
}

/** A revision may carry "%2F" for a "/" in a branch name. */
function decodeOr(text: string, fail: Fail): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return fail(`the revision '${text}' is not valid percent-encoding.`)
  }
}
