// The official JavaScript client's upload of the same folder, for tools/bench/upload.ts: run as its own process so
// its wall time and peak memory are measured like the action's. Plain JavaScript, so nothing but Node runs it.
// Settings come from the environment (the token never goes in argv).
import { uploadFiles } from '@huggingface/hub'
import { pathToFileURL } from 'node:url'

const { BENCH_HUB_URL, BENCH_SPACE, BENCH_FOLDER, HF_TOKEN } = process.env
await uploadFiles({
  repo: { type: 'space', name: BENCH_SPACE },
  accessToken: HF_TOKEN,
  hubUrl: BENCH_HUB_URL,
  files: [pathToFileURL(`${BENCH_FOLDER}/`)],
  useXet: false
})
