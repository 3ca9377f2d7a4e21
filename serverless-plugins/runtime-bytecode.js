'use strict';

const path = require('path');
const { spawnSync } = require('child_process');

/**
 * After osls has zipped the layers, adds bytecode compiled by the runtime's Python version to each layer's zip
 * (scripts/add-runtime-bytecode), so a cold start loads the layer's third-party modules instead of compiling them:
 * /opt is read-only, and the layer otherwise ships source only. For pre-sign-up that is email-validator and idna,
 * ~15 ms of CPU per cold start (docs/performance.md). Function zips stay source only: bytecode would double them,
 * past the 100 KB each is held to. Runs before the framework hashes the zips for the template, so a published
 * version always matches its code. Without an interpreter of the runtime's version the script says so and the
 * layer stays source-only. tests/infra/test_signup_package.py checks the result.
 */
class RuntimeBytecode {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'after:package:createDeploymentArtifacts': () => this.addBytecode() };
  }

  artifacts() {
    const { service } = this.serverless;
    const fromLayers = service.getAllLayers().map((name) => (service.getLayer(name).package || {}).artifact);
    return [...new Set(fromLayers.filter(Boolean))];
  }

  addBytecode() {
    const runtime = this.serverless.service.provider.runtime;
    const artifacts = this.artifacts();
    if (!String(runtime).startsWith('python') || !artifacts.length) return;
    const script = path.join(this.serverless.serviceDir, 'scripts', 'add-runtime-bytecode');
    const done = spawnSync(script, ['--runtime', runtime, ...artifacts], { stdio: 'inherit' });
    if (done.error || done.status !== 0) {
      throw new Error(`scripts/add-runtime-bytecode failed (${done.error ? done.error.message : done.status})`);
    }
  }
}

module.exports = RuntimeBytecode;
