'use strict';

/**
 * Lets `serverless package` build this stack, which has a Lambda layer, without talking to AWS.
 *
 * While packaging, osls asks CloudFormation for the deployed stack's outputs (DescribeStacks) so that an
 * unchanged layer can reuse its earlier upload. That question is the only AWS call `package` makes, and its only
 * purpose is to skip an upload. This plugin leaves it out in two cases and lets everything else through:
 *
 * - `SLS_OFFLINE_PACKAGE=true`: set by scripts/package, the one way this project's tooling packages (tests, CI,
 *   the local stack, the benchmark, checkov): it packages to read the template and must not depend on whatever
 *   AWS credentials the machine happens to have (expired, or another account's);
 * - no AWS credentials at all (osls's AWS_CREDENTIALS_NOT_FOUND), so a bare `npx serverless package` works on a
 *   machine without an AWS account.
 *
 * The layer is then packaged as new; a deploy from that package would upload it again. Real deploys
 * (`serverless deploy`, with credentials and without the variable) are unchanged. tests/infra checks the result.
 */
const OFFLINE_VARIABLE = 'SLS_OFFLINE_PACKAGE';

class PackageLayersOffline {
  constructor(serverless, _options, utils) {
    this.serverless = serverless;
    this.log = utils && utils.log;
    this.hooks = { 'before:package:compileLayers': () => this.replaceLayerComparison() };
  }

  notice(message) {
    if (this.log) this.log.notice(message);
  }

  replaceLayerComparison() {
    const compiler = this.serverless.pluginManager.plugins.find(
      (plugin) => typeof plugin.compareWithLastLayer === 'function'
    );
    if (!compiler || compiler.compareWithLastLayer.offlineAware) return;
    const compare = compiler.compareWithLastLayer.bind(compiler);
    const offline = ['1', 'true'].includes(String(process.env[OFFLINE_VARIABLE] || '').toLowerCase());
    const replacement = async (layerName) => {
      if (offline) {
        this.notice(`Layer ${layerName}: ${OFFLINE_VARIABLE} is set, packaged without asking AWS for a deployed one`);
        return undefined;
      }
      try {
        return await compare(layerName);
      } catch (error) {
        if (!error || error.code !== 'AWS_CREDENTIALS_NOT_FOUND') throw error;
        this.notice(`Layer ${layerName}: no AWS credentials, packaged without comparing with a deployed stack`);
        return undefined;
      }
    };
    replacement.offlineAware = true;
    compiler.compareWithLastLayer = replacement;
  }
}

module.exports = PackageLayersOffline;
