'use strict'
/**
 * Stands in for undici inside @actions/http-client (an npm override in the root package.json). That client imports
 * only `ProxyAgent` from undici, for `getAgentDispatcher()`, which this action never calls (`core.getIDToken` uses
 * its node:http path), yet the import evaluated undici's whole index at every start. Here the real ProxyAgent, from
 * the action's own undici, is loaded the first time one is made, from its own module (the whole index would still
 * be parsed at every start).
 */
class ProxyAgent {
  constructor(options) {
    // ProxyAgent opens HTTPS tunnels with `connect`, which undici's index adds to every dispatcher.
    const Dispatcher = require('undici/lib/dispatcher/dispatcher.js')
    Dispatcher.prototype.connect ??= require('undici/lib/api/api-connect.js')
    const RealProxyAgent = require('undici/lib/dispatcher/proxy-agent.js')
    return new RealProxyAgent(options)
  }
}

module.exports = { ProxyAgent }
