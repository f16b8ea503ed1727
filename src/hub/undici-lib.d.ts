/** Types for the undici modules that src/hub/undici.ts imports directly; undici types only its index. */
declare module 'undici/lib/api/api-request.js' {
  import type { Dispatcher } from 'undici/index.js'
  const request: (this: Dispatcher, options: Dispatcher.RequestOptions) => Promise<Dispatcher.ResponseData>
  export default request
}

declare module 'undici/lib/api/api-connect.js' {
  import type { Dispatcher } from 'undici/index.js'
  const connect: (this: Dispatcher, options: Dispatcher.ConnectOptions) => Promise<Dispatcher.ConnectData>
  export default connect
}

declare module 'undici/lib/dispatcher/dispatcher.js' {
  import { Dispatcher } from 'undici/index.js'
  export default Dispatcher
}

declare module 'undici/lib/dispatcher/env-http-proxy-agent.js' {
  import { EnvHttpProxyAgent } from 'undici/index.js'
  export default EnvHttpProxyAgent
}

declare module 'undici/lib/dispatcher/pool.js' {
  import { Pool } from 'undici/index.js'
  export default Pool
}
