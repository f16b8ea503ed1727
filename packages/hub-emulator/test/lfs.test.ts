/** Git LFS: batch → upload to the storage stand-in → verify → commit with an lfsFile line. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { FakeClock, LFS_CONTENT_TYPE, startEmulator, type Emulator } from '../src/index.js'
import { call, obj, TOKENS } from './helpers.js'

const ID = 'acme/app'
let hub: Emulator

beforeEach(async () => {
  hub = await startEmulator({ clock: new FakeClock() })
  hub.addSpace({ id: ID })
})

afterEach(async () => {
  await hub.close()
})

const sha256 = (content: Buffer): string => createHash('sha256').update(content).digest('hex')
const LFS_HEADERS = { Accept: LFS_CONTENT_TYPE, 'Content-Type': LFS_CONTENT_TYPE }

interface BatchObject {
  oid: string
  size: number
  authenticated?: boolean
  actions?: {
    upload: { href: string; header: Record<string, string> }
    verify: { href: string; header: Record<string, string> }
  }
  error?: { code: number; message: string }
}

function batch(
  objects: { oid: string; size: number }[],
  options: { token?: string; extra?: Record<string, unknown> } = {}
) {
  return call(hub.url, 'POST', `/spaces/${ID}.git/info/lfs/objects/batch`, {
    token: options.token ?? TOKENS.acme,
    headers: LFS_HEADERS,
    body: {
      operation: 'upload',
      transfers: ['basic', 'multipart'],
      objects,
      hash_algo: 'sha256',
      ref: { name: 'main' },
      ...options.extra
    }
  })
}

async function put(href: string, body: Buffer, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(href, { method: 'PUT', body, headers })
}

function commitLfs(path: string, oid: string, size: number) {
  const body =
    [
      { key: 'header', value: { summary: `Upload ${path}`, description: '' } },
      { key: 'lfsFile', value: { path, algo: 'sha256', oid, size } }
    ]
      .map(line => JSON.stringify(line))
      .join('\n') + '\n'
  return call(hub.url, 'POST', `/api/spaces/${ID}/commit/main`, {
    token: TOKENS.acme,
    body,
    headers: { 'Content-Type': 'application/x-ndjson' }
  })
}

describe('the LFS flow', () => {
  it('uploads, verifies and commits an object, without sending the token to the storage host', async () => {
    const content = Buffer.concat([Buffer.from([0, 1, 2]), Buffer.alloc(2 * 1024 * 1024, 7)]) // > the 1 MiB JSON limit
    const oid = sha256(content)
    const answer = await batch([{ oid, size: content.length }])
    expect(answer.status).toBe(200)
    expect(answer.headers.get('content-type')).toBe(LFS_CONTENT_TYPE)
    const { transfer, objects } = answer.json as { transfer: string; objects: BatchObject[] }
    expect(transfer).toBe('basic')
    const [object] = objects
    expect(Object.keys(object!)).toEqual(['oid', 'size', 'authenticated', 'actions'])
    expect(object).toEqual({
      oid,
      size: content.length,
      authenticated: true,
      actions: {
        upload: {
          href: expect.stringMatching(new RegExp(`^${hub.url}/__lfs/upload/${oid}\\?sig=[0-9a-f]{64}$`)),
          header: {}
        },
        verify: { href: `${hub.url}/spaces/${ID}.git/info/lfs/objects/verify`, header: {} }
      }
    })

    const uploaded = await put(object!.actions!.upload.href, content)
    expect(uploaded.status).toBe(200)
    expect(uploaded.headers.get('etag')).toBe(`"${createHash('md5').update(content).digest('hex')}"`)

    const verify = await call(hub.url, 'POST', new URL(object!.actions!.verify.href).pathname, {
      token: TOKENS.acme,
      headers: LFS_HEADERS,
      body: { oid, size: content.length }
    })
    expect(verify.status).toBe(200)

    const committed = await commitLfs('model.bin', oid, content.length)
    expect(committed.status).toBe(200)
    expect(hub.space(ID)!.files['model.bin']).toEqual({ size: content.length, lfs: true, sha: oid })
    // Buffer.equals, not toEqual: a deep comparison of 2 MiB byte by byte blocks the event loop for seconds.
    expect(hub.fileContent(ID, 'model.bin')?.equals(content)).toBe(true)
    const resolved = await fetch(`${hub.url}/spaces/${ID}/resolve/main/model.bin`)
    expect(Buffer.from(await resolved.arrayBuffer()).equals(content)).toBe(true)

    const storage = hub.requests().filter(r => r.path.startsWith('/__lfs/'))
    expect(storage.map(r => [r.method, r.status, r.bodySize, r.body, r.headers.authorization])).toEqual([
      ['PUT', 200, content.length, '', undefined]
    ])
    expect(hub.requests().map(r => r.path)).toEqual([
      `/spaces/${ID}.git/info/lfs/objects/batch`,
      `/__lfs/upload/${oid}`,
      `/spaces/${ID}.git/info/lfs/objects/verify`,
      `/api/spaces/${ID}/commit/main`,
      `/spaces/${ID}/resolve/main/model.bin`
    ])
    // preupload now reports the stored file by its sha256
    const pre = await call(hub.url, 'POST', `/api/spaces/${ID}/preupload/main`, {
      token: TOKENS.acme,
      body: {
        files: [
          { path: 'model.bin', sample: content.subarray(0, 512).toString('base64'), size: content.length }
        ]
      }
    })
    expect((obj(pre).files as unknown[])[0]).toEqual({
      path: 'model.bin',
      uploadMode: 'lfs',
      shouldIgnore: false,
      oid
    })
  })

  it('ignores an Authorization header sent to the storage host, and records that it was sent', async () => {
    const content = Buffer.from('weights')
    const oid = sha256(content)
    const { objects } = (await batch([{ oid, size: content.length }])).json as { objects: BatchObject[] }
    const uploaded = await put(objects[0]!.actions!.upload.href, content, {
      Authorization: 'Bearer hf_leaked'
    })
    expect(uploaded.status).toBe(200)
    const [record] = hub.requests().filter(r => r.path.startsWith('/__lfs/'))
    expect(record!.headers.authorization).toBe('Bearer hf_leaked')
  })

  it('gives stored objects no actions, and accepts the JS client’s request form', async () => {
    const content = Buffer.from('already there')
    const oid = sha256(content)
    const first = (await batch([{ oid, size: content.length }])).json as { objects: BatchObject[] }
    await put(first.objects[0]!.actions!.upload.href, content)
    const again = await batch([{ oid, size: content.length }], {
      extra: { transfers: ['basic', 'multipart', 'xet'], hash_algo: 'sha_256', ref: undefined }
    })
    expect(again.json).toEqual({
      transfer: 'basic',
      objects: [{ oid, size: content.length, authenticated: true }]
    })
  })

  it('refuses a body that does not match the object, and stores nothing', async () => {
    const content = Buffer.from('the real bytes')
    const oid = sha256(content)
    const { objects } = (await batch([{ oid, size: content.length }])).json as { objects: BatchObject[] }
    const href = objects[0]!.actions!.upload.href
    const wrong = await put(href, Buffer.from('other bytes!!!'))
    expect([wrong.status, wrong.headers.get('content-type')]).toEqual([400, 'application/xml'])
    expect(await wrong.text()).toContain('<Code>BadDigest</Code>')
    const longer = await put(href, Buffer.concat([content, Buffer.from('x')]))
    expect(longer.status).toBe(400)
    const verify = await call(hub.url, 'POST', `/spaces/${ID}.git/info/lfs/objects/verify`, {
      token: TOKENS.acme,
      body: { oid, size: content.length }
    })
    expect(verify.status).toBe(404)
    expect((await commitLfs('x.bin', oid, content.length)).status).toBe(422)
  })

  it('refuses uploads without a valid signature', async () => {
    const content = Buffer.from('abc')
    const oid = sha256(content)
    const { objects } = (await batch([{ oid, size: 3 }])).json as { objects: BatchObject[] }
    const href = new URL(objects[0]!.actions!.upload.href)
    href.searchParams.set('sig', '0'.repeat(64))
    expect((await put(href.toString(), content)).status).toBe(403)
    const otherOid = objects[0]!.actions!.upload.href.replace(oid, 'a'.repeat(64))
    expect((await put(otherOid, content)).status).toBe(403)
    const viaPost = await fetch(objects[0]!.actions!.upload.href, { method: 'POST', body: content })
    expect(viaPost.status).toBe(403)
  })

  it('answers per-object errors inside a 200, and refuses bad batches', async () => {
    const answer = await batch([{ oid: 'not-a-sha', size: 1 }])
    expect(answer.status).toBe(200)
    expect((answer.json as { objects: BatchObject[] }).objects[0]!.error).toEqual({
      code: 422,
      message: expect.stringMatching(/sha256/)
    })
    expect((await batch([], { extra: { operation: 'download' } })).status).toBe(422)
    expect((await batch([], { extra: { hash_algo: 'md5' } })).status).toBe(409)
    expect((await batch([], { extra: { objects: 'x' } })).status).toBe(422)
  })

  it('is for writers of the Space', async () => {
    const objects = [{ oid: 'a'.repeat(64), size: 1 }]
    expect((await batch(objects, { token: TOKENS.reader })).status).toBe(403)
    expect((await batch(objects, { token: TOKENS.outsider })).status).toBe(403)
    expect((await batch(objects, { token: 'hf_invalid' })).status).toBe(401)
    const anonymous = await call(hub.url, 'POST', `/spaces/${ID}.git/info/lfs/objects/batch`, {
      headers: LFS_HEADERS,
      body: { operation: 'upload', objects }
    })
    expect(anonymous.status).toBe(401)
    const verify = await call(hub.url, 'POST', `/spaces/${ID}.git/info/lfs/objects/verify`, {
      token: TOKENS.reader,
      body: { oid: 'a'.repeat(64), size: 1 }
    })
    expect(verify.status).toBe(403)
  })

  it('can fault the storage stand-in like the API', async () => {
    const content = Buffer.from('flaky')
    const oid = sha256(content)
    const { objects } = (await batch([{ oid, size: content.length }])).json as { objects: BatchObject[] }
    hub.fault({ path: /^\/__lfs\//, kind: 'status', status: 503 })
    expect((await put(objects[0]!.actions!.upload.href, content)).status).toBe(503)
    expect((await put(objects[0]!.actions!.upload.href, content)).status).toBe(200)
  })
})
