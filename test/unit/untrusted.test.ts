import { describe, expect, it } from '@jest/globals'
import {
  htmlEscape,
  redact,
  rememberSecret,
  untrustedBlock,
  untrustedLine
} from '../../src/report/untrusted.js'

describe('untrusted text', () => {
  it('wraps a block in stop-commands with a fresh token each time', () => {
    const one = untrustedBlock('::set-output name=x::y')
    const two = untrustedBlock('::set-output name=x::y')
    const token = /^::stop-commands::(.+)\n/.exec(one)?.[1] ?? ''
    expect(token).toMatch(/^[0-9a-f-]{36}$/)
    expect(one).toBe(`::stop-commands::${token}\n::set-output name=x::y\n::${token}::`)
    expect(two).not.toContain(token)
  })

  it('wraps a line only when it holds command syntax', () => {
    expect(untrustedLine('Created https://huggingface.co/spaces/a/b (gradio).')).toBe(
      'Created https://huggingface.co/spaces/a/b (gradio).'
    )
    expect(untrustedLine('Stage ::error::x')).toMatch(/^::stop-commands::/)
    expect(untrustedLine('##[set-output name=a;]b')).toMatch(/^::stop-commands::/)
  })

  it('redacts remembered secrets before escaping, and names their escaped forms for masking', () => {
    const secret = `s3&<"'>cr3t`
    expect(rememberSecret(secret)).toEqual([secret, 's3&#38;&#60;&#34;&#39;&#62;cr3t', `s3&<\\"'>cr3t`])
    expect(redact(`key=${secret};`)).toBe('key=***;')
    expect(htmlEscape(`<p>${secret}</p>`)).toBe('&#60;p&#62;***&#60;/p&#62;')
    expect(untrustedBlock(`printed ${secret}`)).toContain('printed ***')
  })
})
