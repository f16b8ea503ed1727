import { randomBytes } from 'node:crypto'
import { encodeBase64Into } from '../../src/operations/upload/base64.js'

function encoded(source: Buffer, start = 0, end = source.length, at = 0): string {
  const target = Buffer.alloc(at + Math.ceil((end - start) / 3) * 4 + 8, 0x7e)
  const stop = encodeBase64Into(source, start, end, target, at)
  expect(target.subarray(0, at).every(byte => byte === 0x7e)).toBe(true)
  expect(target.subarray(stop).every(byte => byte === 0x7e)).toBe(true)
  return target.subarray(at, stop).toString('latin1')
}

describe('encodeBase64Into', () => {
  it("writes what Node's encoder returns, for every length and padding", () => {
    for (let length = 0; length < 200; length++) {
      const bytes = randomBytes(length)
      expect(encoded(bytes)).toBe(bytes.toString('base64'))
    }
  })

  it('covers every byte value in every position of a group', () => {
    const bytes = Buffer.from(Array.from({ length: 3 * 256 }, (_, i) => (i * 7 + (i >> 8)) & 255))
    expect(encoded(bytes)).toBe(bytes.toString('base64'))
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i))
    for (const shift of [0, 1, 2]) expect(encoded(all, shift)).toBe(all.subarray(shift).toString('base64'))
  })

  it('encodes a slice of the source into the target at an offset, touching nothing else', () => {
    const bytes = randomBytes(1000)
    expect(encoded(bytes, 10, 610, 5)).toBe(bytes.subarray(10, 610).toString('base64'))
    expect(encoded(bytes, 999, 1000, 3)).toBe(bytes.subarray(999).toString('base64'))
  })

  it('streams: pieces whose lengths are multiples of 3 join into the whole', () => {
    const bytes = randomBytes(10_001)
    const pieces = [0, 3000, 3003, 9999, 10_001]
    const joined = pieces
      .slice(1)
      .map((end, i) => encoded(bytes, pieces[i], end))
      .join('')
    expect(joined).toBe(bytes.toString('base64'))
  })
})
