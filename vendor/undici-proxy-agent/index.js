'use strict'
/**
 * Stands in for undici inside @actions/http-client (an npm override in the root package.json). That client imports
 * only `ProxyAgent` from undici, for `getAgentDispatcher()`, which this action never calls (`core.getIDToken` uses
 * its node:http path), yet the import evaluated undici's whole index at every start. Here undici (the action's own
 * copy) is loaded the first time a ProxyAgent is made.
 */
class ProxyAgent {
  constructor(options) {
    const { ProxyAgent: RealProxyAgent } = require('undici')
    return new RealProxyAgent(options)
  }
}

module.exports = { ProxyAgent }
