/** The runner's proxy settings are honoured: every Hub call goes through HTTP(S)_PROXY unless NO_PROXY says not to. */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { runStep, SPACE, useHub } from './fixture.js'
import { startProxy } from '../support/proxy.js'

describe('proxies', () => {
  const t = useHub()
  let proxy: Awaited<ReturnType<typeof startProxy>>
  beforeEach(async () => {
    proxy = await startProxy()
  })
  afterEach(async () => {
    await proxy.close()
  })

  it('sends Hub calls through HTTP_PROXY', async () => {
    const main = await runStep('main', t.step({ 'space-id': SPACE }, { HTTP_PROXY: proxy.url }))
    expect(main.exitCode).toBe(0)
    const hub = new URL(t.hub.url).host
    expect(proxy.seen.length).toBeGreaterThan(0)
    expect(proxy.seen.every(line => line.includes(hub))).toBe(true)
    expect(t.hub.requests().length).toBeGreaterThan(0)
  })

  it('goes direct for hosts in NO_PROXY', async () => {
    const main = await runStep(
      'main',
      t.step({ 'space-id': SPACE }, { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' })
    )
    expect(main.exitCode).toBe(0)
    expect(proxy.seen).toEqual([])
  })
})
