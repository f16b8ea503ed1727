/** GitHub deployments for the Space: one per step, on the commit people see, then its statuses. */
import type { GitHubApi } from './api.js'
import { repository } from './context.js'

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive'

export interface NewDeployment {
  ref: string
  environment: string
  production: boolean
  description: string
  spaceId: string
}

export async function createDeployment(api: GitHubApi, spec: NewDeployment): Promise<number> {
  const answer = await api.rest.repos.createDeployment({
    ...repository(),
    ref: spec.ref,
    environment: spec.environment,
    description: spec.description,
    // No required contexts: else GitHub answers 409 while this job's own checks are pending.
    required_contexts: [],
    // Never merge the default branch into the ref.
    auto_merge: false,
    transient_environment: !spec.production,
    production_environment: spec.production,
    payload: { space: spec.spaceId }
  })
  const id = (answer.data as { id?: unknown }).id
  if (typeof id !== 'number') throw new Error(`GitHub answered ${answer.status} without a deployment id`)
  return id
}

export async function setDeploymentState(
  api: GitHubApi,
  id: number,
  state: DeploymentState,
  details: { logUrl: string; environmentUrl?: string | undefined; description: string }
): Promise<DeploymentState> {
  await api.rest.repos.createDeploymentStatus({
    ...repository(),
    deployment_id: id,
    state,
    log_url: details.logUrl,
    description: details.description.slice(0, 140),
    ...(details.environmentUrl ? { environment_url: details.environmentUrl } : {}),
    // Older deployments of the environment stay as they are; this action marks its own inactive in the post step.
    auto_inactive: false
  })
  return state
}
