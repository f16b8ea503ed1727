/**
 * The `volumes` input follows huggingface_hub's `parse_hf_mount`: these are the cases of its
 * tests/test_cli.py::TestParseVolumes and tests/test_utils_hf_uris.py (MOUNT_SUCCESS_CASES, MOUNT_FAILURE_CASES).
 */
import { describe, expect, it } from '@jest/globals'
import { formatVolume, parseVolume, readVolumes } from '../../src/plan/volumes.js'

describe('parseVolume (TestParseVolumes)', () => {
  it.each([
    ['hf://my-org/my-model:/mnt', 'model', 'my-org/my-model', '/mnt', undefined],
    ['hf://models/my-org/my-model:/data', 'model', 'my-org/my-model', '/data', undefined],
    ['hf://datasets/org/ds:/input', 'dataset', 'org/ds', '/input', undefined],
    ['hf://buckets/org/my-bucket:/output', 'bucket', 'org/my-bucket', '/output', undefined],
    ['hf://spaces/org/my-space:/app', 'space', 'org/my-space', '/app', undefined],
    ['hf://datasets/org/ds/train:/input', 'dataset', 'org/ds', '/input', 'train'],
    ['hf://datasets/org/ds/path/to/dir:/input', 'dataset', 'org/ds', '/input', 'path/to/dir'],
    ['hf://buckets/org/my-bucket/sub/prefix:/mnt', 'bucket', 'org/my-bucket', '/mnt', 'sub/prefix'],
    ['hf://models/org/my-model/onnx:/weights', 'model', 'org/my-model', '/weights', 'onnx'],
    ['hf://org/my-model/onnx:/weights', 'model', 'org/my-model', '/weights', 'onnx']
  ])('%s', (line, type, source, mountPath, path) => {
    const volume = parseVolume(line)
    expect(volume).toMatchObject({ type, source, mountPath })
    expect(volume.path).toBe(path)
  })

  it.each(['hf://org/model', 'hf://org/model:data', 'hf://gpt2:/data'])('refuses %s', line => {
    expect(() => parseVolume(line)).toThrow(/line 1/)
  })

  it.each(['gpt2:/data', 'dataset/org/ds:/data'])('refuses %s: no hf:// prefix', line => {
    expect(() => parseVolume(line)).toThrow(/must start with 'hf:\/\/'/)
  })

  it('reads :ro and :rw', () => {
    expect(parseVolume('hf://datasets/org/ds:/data:ro').readOnly).toBe(true)
    expect(parseVolume('hf://buckets/org/b:/mnt:rw').readOnly).toBe(false)
    expect(parseVolume('hf://buckets/org/b:/mnt').readOnly).toBeUndefined()
  })

  it('reads several lines, in order, skipping blank ones', () => {
    expect(
      readVolumes('hf://org/my-model:/model\n\n  hf://datasets/org/ds:/data:ro\nhf://buckets/org/b:/output\n')
    ).toEqual([
      { type: 'model', source: 'org/my-model', mountPath: '/model' },
      { type: 'dataset', source: 'org/ds', mountPath: '/data', readOnly: true },
      { type: 'bucket', source: 'org/b', mountPath: '/output' }
    ])
  })
})

describe('parseVolume (MOUNT_SUCCESS_CASES, MOUNT_FAILURE_CASES)', () => {
  it.each([
    ['hf://my-org/my-model:/data', 'hf://models/my-org/my-model:/data'],
    ['hf://my-org/my-model:/data:ro', 'hf://models/my-org/my-model:/data:ro'],
    ['hf://my-org/my-model:/data:rw', 'hf://models/my-org/my-model:/data:rw'],
    ['hf://datasets/my-org/my-dataset:/mnt', 'hf://datasets/my-org/my-dataset:/mnt'],
    ['hf://datasets/my-org/my-dataset@v1:/mnt:ro', 'hf://datasets/my-org/my-dataset@v1:/mnt:ro'],
    ['hf://datasets/my-org/my-dataset/train:/mnt', 'hf://datasets/my-org/my-dataset/train:/mnt'],
    ['hf://buckets/my-org/my-bucket:/mnt:rw', 'hf://buckets/my-org/my-bucket:/mnt:rw'],
    ['hf://buckets/my-org/my-bucket/sub/dir:/mnt:ro', 'hf://buckets/my-org/my-bucket/sub/dir:/mnt:ro'],
    ['hf://my-org/my-model:/path/to/mount', 'hf://models/my-org/my-model:/path/to/mount'],
    ['hf://datasets/org/ds@refs/pr/3/train:/d', 'hf://datasets/org/ds@refs/pr/3/train:/d'],
    ['hf://datasets/org/ds@feature%2Ffoo:/d', 'hf://datasets/org/ds@feature%2Ffoo:/d']
  ])('%s round-trips as %s', (line, canonical) => {
    expect(formatVolume(parseVolume(line))).toBe(canonical)
    expect(parseVolume(canonical)).toEqual(parseVolume(line))
  })

  it('keeps special refs and decodes %2F in revisions', () => {
    expect(parseVolume('hf://datasets/org/ds@refs/pr/3/train:/d')).toMatchObject({
      revision: 'refs/pr/3',
      path: 'train'
    })
    expect(parseVolume('hf://datasets/org/ds@feature%2Ffoo:/d').revision).toBe('feature/foo')
  })

  it.each([
    ['my-org/my-model:/data', "must start with 'hf://'"],
    ['hf://my-org/my-model', 'missing mount path'],
    ['hf://my-org/my-model:/', 'non-empty absolute path'],
    ['hf://my-org/my-model:ro', "':ro'/':rw' is only valid"],
    ['hf://my-org/my-model:rw', "':ro'/':rw' is only valid"],
    ['hf://gpt2:/data', "must be 'namespace/name'"],
    ['hf://gpt2:/data:ro', "must be 'namespace/name'"],
    ['hf://dataset/org/ds:/data', "did you mean 'datasets/'"],
    ['hf://buckets/org/b@v1:/data', 'buckets have no revision'],
    ['hf://kernels/org/k:/data', 'kernels cannot be mounted'],
    ['hf://datasets/org/ds@:/data', 'empty revision'],
    ['hf://datasets/org--x/ds:/data', 'not a repository id']
  ])('refuses %s (%s)', (line, message) => {
    expect(() => parseVolume(line)).toThrow(message)
  })

  it('names the line, and refuses a mount path used twice', () => {
    expect(() => readVolumes('hf://buckets/a/b:/data\n\nhf://oops')).toThrow(/line 3 "hf:\/\/oops"/)
    expect(() => readVolumes('hf://buckets/a/b:/data\nhf://datasets/a/c:/data:ro')).toThrow(
      /line 2: \/data is already mounted by line 1/
    )
  })
})
