import { describe, expect, it } from '@jest/globals'
import { SPACE, useInProcessHub } from './in-process.js'

describe('request-storage and delete-storage, in process', () => {
  const t = useInProcessHub([{ id: SPACE }])

  it('explains the refusal of a storage tier with where to go instead', async () => {
    await expect(
      t.run({ 'space-id': SPACE, operation: 'request-storage', storage: 'small' })
    ).rejects.toMatchObject({
      advice: expect.stringContaining('volumes')
    })
  })

  it('has nothing to delete when the Space has no storage', async () => {
    const run = await t.run({ 'space-id': SPACE, operation: 'delete-storage' })
    expect(run.writes).toEqual([])
    expect(run.result.summary).toBe('The Space has no persistent storage.')
  })
})
