import { describe, expect, it } from '@jest/globals'
import type { HubClient } from '../../src/hub/client.js'
import { ContentApi } from '../../src/hub/content.js'

/** A client whose preupload answers name the heads given, one per batch, in the order the batches were sent. */
function answering(heads: (string | null)[]): { client: HubClient; batches: number[] } {
  const batches: number[] = []
  const client = {
    json: (req: { json: { files: { path: string }[] } }) => {
      const head = heads[batches.length]
      batches.push(req.json.files.length)
      return Promise.resolve({
        files: req.json.files.map(file => ({ path: file.path, uploadMode: 'regular', shouldIgnore: false })),
        ...(head ? { commitOid: head } : {})
      })
    }
  }
  return { client: client as unknown as HubClient, batches }
}

const files = (count: number) =>
  Array.from({ length: count }, (_, i) => ({ path: `f${i}.txt`, sample: '', size: 1 }))

describe('preupload', () => {
  it('asks in batches of 250 and keeps the files in order', async () => {
    const { client, batches } = answering(['a'.repeat(40), 'a'.repeat(40), 'a'.repeat(40)])
    const answer = await new ContentApi(client).preupload('acme/app', files(600), undefined, false)
    expect(batches).toEqual([250, 250, 100])
    expect(answer.files.map(file => file.path)).toEqual(files(600).map(file => file.path))
    expect(answer.commitOid).toBe('a'.repeat(40))
  })

  it('refuses answers judged against different heads: the plan would mix two states of the Space', async () => {
    const { client } = answering(['a'.repeat(40), 'b'.repeat(40)])
    await expect(new ContentApi(client).preupload('acme/app', files(300), undefined, false)).rejects.toThrow(
      'Someone committed to acme/app while this step compared the folder with it.'
    )
  })

  it('takes the head from whichever answer names one (an empty Space has none)', async () => {
    const { client } = answering([null, 'c'.repeat(40)])
    const answer = await new ContentApi(client).preupload('acme/app', files(300), undefined, false)
    expect(answer.commitOid).toBe('c'.repeat(40))
  })
})
