'use strict';

const path = require('path');
const { spawnSync } = require('child_process');

/**
 * After osls has zipped the layers, adds bytecode compiled by the runtime's Python version to each layer's zip
 * (scripts/add-runtime-bytecode), so a cold start loads the layer's third-party modules instead of compiling them:
 * /opt is read-only, and the layer otherwise ships source only. For pre-sign-up that is email-validator and idna,
 * ~10 ms of CPU per on-demand cold start (docs/performance.md; a SnapStart restore has compiled them already). Function zips stay source only: bytecode would double them,
 * past the 100 KB each is held to. Runs before the framework hashes the zips for the template, so a published
 * version always matches its code. Without an interpreter of the runtime's version the script says so and the
 * layer stays source-only: fine for `package` (tests, CI, the local stack), refused for `deploy` unless
 * RUNTIME_BYTECODE=optional, because deploying from machines with and without one would flip the layer's content
 * (a new layer version and a new SnapStart version each time). Build deployments with one interpreter: bytecode
 * from another 3.13 patch release is valid but not byte-identical. Only zips osls built in `.serverless/` are
 * touched, never a layer artifact given in serverless.yml. tests/infra/test_bytecode.py checks the result.
 */
const NO_INTERPRETER = 3;

class RuntimeBytecode {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'after:package:createDeploymentArtifacts': () => this.addBytecode() };
  }

  artifacts() {
    const { service } = this.serverless;
    const built = path.join(this.serverless.serviceDir, '.serverless') + path.sep;
    const fromLayers = service.getAllLayers().map((name) => (service.getLayer(name).package || {}).artifact);
    return [...new Set(fromLayers.filter((artifact) => artifact && path.resolve(artifact).startsWith(built)))];
  }

  deploying() {
    const commands = (this.serverless.processedInput || {}).commands || [];
    return commands[0] === 'deploy';
  }

  addBytecode() {
    const runtime = this.serverless.service.provider.runtime;
    const artifacts = this.artifacts();
    if (!String(runtime).startsWith('python') || !artifacts.length) return;
    const script = path.join(this.serverless.serviceDir, 'scripts', 'add-runtime-bytecode');
    const done = spawnSync(script, ['--runtime', runtime, ...artifacts], { stdio: 'inherit' });
    if (done.status === NO_INTERPRETER) {
      if (this.deploying() && process.env.RUNTIME_BYTECODE !== 'optional') {
        throw new Error(
          `No ${runtime} interpreter to compile the layers' bytecode: install one or set RUNTIME_PYTHON ` +
            '(or RUNTIME_BYTECODE=optional to deploy source-only layers)'
        );
      }
      return;
    }
    if (done.error || done.status !== 0) {
      throw new Error(`scripts/add-runtime-bytecode failed (${done.error ? done.error.message : done.status})`);
    }
  }
}

module.exports = RuntimeBytecode;
