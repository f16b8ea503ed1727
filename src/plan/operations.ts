/**
 * THE table of operations. Each entry says which inputs the operation requires (with a hint) and allows, whether it
 * writes, whether a missing Space is acceptable, how its fields are read into the plan, and where its handler is
 * (loaded only when it runs). Adding an operation means one entry here and one handler module.
 */
import type { Runtime, Volume } from '../hub/types.js'
import type { Context, OperationResult } from '../operations/context.js'
import type { KeyValue } from './key-values.js'
import { Input, type InputName, type StorageTier } from './names.js'
import type { CommonPlan, CreateFields, SpaceSettings } from './plan.js'

/** Typed readers of the operation-specific inputs (src/plan/read-inputs.ts); each validates its input. */
export interface FieldReader {
  hardware(): string | undefined
  sleepSeconds(): number | undefined
  factoryReboot(): boolean
  settings(): SpaceSettings
  create(): CreateFields
  fromSpace(): string | undefined
  secrets(): KeyValue[]
  variables(): KeyValue[]
  keys(): string[]
  prune(): boolean
  storage(): StorageTier | undefined
  volumes(): Volume[]
  upload(): UploadFields
  sha(): string | undefined
  commitWait(): CommitWaitFields
  /** An input the entry marks required: its check ran before the fields are read, so it is there. */
  required<T>(input: InputName, value: T | undefined): T
}

export interface UploadFields {
  /** The local folder, where it goes in the Space, and what to leave out or delete there. */
  folder: string
  pathInRepo: string
  commitMessage: string
  ignore: string[]
  deletePatterns: string[]
  createPr: boolean
}

/** upload, and wait with sha: how long a build may take to show after the commit, and what to do if none does. */
export interface CommitWaitFields {
  buildStartSeconds: number
  restartIfNoBuild: boolean
}

type Handler<F, Before> = (ctx: Context<CommonPlan & F>, before: Before) => Promise<OperationResult>

interface SpecBase<F> {
  /** Inputs the operation cannot do without, each with the hint its error gives. */
  requires?: Partial<Record<InputName, string>>
  /** Operation-specific inputs it accepts (required ones included); any other is refused. */
  allows: readonly InputName[]
  /** Changes the Space, and so needs credentials (a read-only operation with a teardown needs them too). */
  writes: boolean
  /** Makes the Space: a 401 on the first read may only mean it does not exist yet. */
  creates?: boolean
  /** Only the owner may call it (explained when the Hub refuses). */
  ownerOnly?: boolean
  /**
   * May run on several Spaces in one step (`space-id` lists them, or owner/* patterns). Never for an operation that
   * creates, deletes or uploads: a pattern must not be able to destroy anything.
   */
  fleet?: boolean
  fields: (read: FieldReader) => F
}

export type OperationSpec<F> = SpecBase<F> &
  (
    | { missingSpaceOk: false; handler: () => Promise<Handler<NoInfer<F>, Runtime>> }
    | { missingSpaceOk: true; handler: () => Promise<Handler<NoInfer<F>, Runtime | undefined>> }
  )

/** A flavor and its guardrails: given where no flavor is requested, the guardrails would guard nothing. */
const FLAVOR_INPUTS = [Input.hardware, Input.maxHourlyCost, Input.allowedHardware] as const

/** The inputs of the settings a new Space takes (create and duplicate). */
const SETTINGS_INPUTS = [
  ...FLAVOR_INPUTS,
  Input.sleepTime,
  Input.private,
  Input.secrets,
  Input.variables,
  Input.storage,
  Input.volumes
] as const

type OnExisting<F> = SpecBase<F> & { handler: () => Promise<Handler<NoInfer<F>, Runtime>> }
type OnAny<F> = SpecBase<F> & { handler: () => Promise<Handler<NoInfer<F>, Runtime | undefined>> }

/** An operation on an existing Space: a missing one fails before its handler runs. */
const operation = <F>(spec: OnExisting<F>): OperationSpec<F> => ({ ...spec, missingSpaceOk: false })
/** An operation that accepts a missing Space (its handler gets `before: undefined`). */
const anySpace = <F>(spec: OnAny<F>): OperationSpec<F> => ({ ...spec, missingSpaceOk: true })
// Each `fields` names its parameter's type: TypeScript infers an entry's fields from it before checking its handler.
const none = (): Record<never, never> => ({})

export const OPERATIONS = {
  runtime: operation({
    fleet: true,
    allows: [],
    writes: false,
    fields: none,
    handler: () => import('../operations/lifecycle.js').then(m => m.readOnly)
  }),
  'request-hardware': operation({
    fleet: true,
    requires: { [Input.hardware]: 'Set it to a flavor such as t4-small.' },
    allows: [...FLAVOR_INPUTS, Input.sleepTime, Input.healthPath],
    writes: true,
    fields: (read: FieldReader) => ({
      hardware: read.required(Input.hardware, read.hardware()),
      sleepSeconds: read.sleepSeconds()
    }),
    handler: () => import('../operations/hardware.js').then(m => m.requestHardware)
  }),
  'set-sleep-time': operation({
    fleet: true,
    requires: { [Input.sleepTime]: 'Use seconds, 30m, 2h or never.' },
    allows: [Input.sleepTime],
    writes: true,
    fields: (read: FieldReader) => ({ sleepSeconds: read.required(Input.sleepTime, read.sleepSeconds()) }),
    handler: () => import('../operations/hardware.js').then(m => m.setSleepTime)
  }),
  pause: operation({
    fleet: true,
    allows: [],
    writes: true,
    ownerOnly: true,
    fields: none,
    handler: () => import('../operations/lifecycle.js').then(m => m.pause)
  }),
  restart: operation({
    fleet: true,
    allows: [Input.factoryReboot, Input.healthPath],
    writes: true,
    ownerOnly: true,
    fields: (read: FieldReader) => ({ factoryReboot: read.factoryReboot() }),
    handler: () => import('../operations/lifecycle.js').then(m => m.restart)
  }),
  wait: operation({
    fleet: true,
    allows: [Input.sha, Input.healthPath, Input.restartIfNoBuild],
    writes: true,
    fields: (read: FieldReader) => ({ sha: read.sha(), ...read.commitWait() }),
    handler: () => import('../operations/lifecycle.js').then(m => m.waitRunning)
  }),
  create: anySpace({
    requires: { [Input.sdk]: 'Set it to gradio, docker or static: the action never guesses it.' },
    allows: [...SETTINGS_INPUTS, Input.sdk, Input.healthPath],
    writes: true,
    creates: true,
    fields: (read: FieldReader) => read.create(),
    handler: () => import('../operations/repos.js').then(m => m.createSpace)
  }),
  duplicate: anySpace({
    requires: { [Input.fromSpace]: 'Set it to the owner/name of the Space to copy.' },
    allows: [...SETTINGS_INPUTS, Input.fromSpace, Input.healthPath],
    writes: true,
    creates: true,
    fields: (read: FieldReader) => ({
      ...read.settings(),
      fromSpace: read.required(Input.fromSpace, read.fromSpace())
    }),
    handler: () => import('../operations/repos.js').then(m => m.duplicateSpace)
  }),
  delete: anySpace({
    allows: [],
    writes: true,
    fields: none,
    handler: () => import('../operations/repos.js').then(m => m.deleteSpace)
  }),
  'set-secrets': operation({
    fleet: true,
    requires: { [Input.secrets]: 'One KEY=value (or a bare KEY read from env) per line.' },
    allows: [Input.secrets, Input.prune],
    writes: true,
    fields: (read: FieldReader) => ({ secrets: read.secrets(), prune: read.prune() }),
    handler: () => import('../operations/config.js').then(m => m.setSecrets)
  }),
  'delete-secrets': operation({
    fleet: true,
    requires: { [Input.keys]: 'List the keys to delete.' },
    allows: [Input.keys],
    writes: true,
    fields: (read: FieldReader) => ({ keys: read.keys() }),
    handler: () => import('../operations/config.js').then(m => m.deleteSecrets)
  }),
  'set-variables': operation({
    fleet: true,
    requires: { [Input.variables]: 'One KEY=value (or a bare KEY read from env) per line.' },
    allows: [Input.variables, Input.prune],
    writes: true,
    fields: (read: FieldReader) => ({ variables: read.variables(), prune: read.prune() }),
    handler: () => import('../operations/config.js').then(m => m.setVariables)
  }),
  'delete-variables': operation({
    fleet: true,
    requires: { [Input.keys]: 'List the keys to delete.' },
    allows: [Input.keys],
    writes: true,
    fields: (read: FieldReader) => ({ keys: read.keys() }),
    handler: () => import('../operations/config.js').then(m => m.deleteVariables)
  }),
  'request-storage': operation({
    requires: { [Input.storage]: 'Set it to small, medium or large.' },
    allows: [Input.storage],
    writes: true,
    fields: (read: FieldReader) => ({ storage: read.required(Input.storage, read.storage()) }),
    handler: () => import('../operations/storage.js').then(m => m.requestStorage)
  }),
  'delete-storage': operation({
    allows: [],
    writes: true,
    fields: none,
    handler: () => import('../operations/storage.js').then(m => m.deleteStorage)
  }),
  'set-volumes': operation({
    fleet: true,
    requires: {
      [Input.volumes]: 'One volume per line, as the hf CLI writes it: hf://buckets/org/bucket:/data'
    },
    allows: [Input.volumes, Input.prune, Input.healthPath],
    writes: true,
    fields: (read: FieldReader) => ({ volumes: read.volumes(), prune: read.prune() }),
    handler: () => import('../operations/volumes.js').then(m => m.setVolumes)
  }),
  'delete-volumes': operation({
    fleet: true,
    allows: [Input.healthPath],
    writes: true,
    fields: none,
    handler: () => import('../operations/volumes.js').then(m => m.deleteVolumes)
  }),
  upload: operation({
    allows: [
      Input.folder,
      Input.pathInRepo,
      Input.commitMessage,
      Input.ignore,
      Input.delete,
      Input.createPr,
      Input.healthPath,
      Input.restartIfNoBuild
    ],
    writes: true,
    fields: (read: FieldReader) => ({ ...read.upload(), ...read.commitWait() }),
    handler: () => import('../operations/upload/operation.js').then(m => m.upload)
  })
}

export type Operation = keyof typeof OPERATIONS
export const OPERATION_NAMES = Object.keys(OPERATIONS) as Operation[]
export type OperationFields<O extends Operation> = ReturnType<(typeof OPERATIONS)[O]['fields']>
