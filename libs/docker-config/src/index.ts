export {
  DeploymentConfigError,
  defaultDeploymentConfig,
  deploymentConfigSchema,
  parseDeploymentConfig,
  type DeploymentConfig,
  type DeploymentConfigInput,
} from './config';
export {
  GENERATED_NOTICE,
  composeDocument,
  envDefaults,
  renderCompose,
  renderEnvExample,
  type ComposeDocument,
  type ComposeService,
} from './compose';
export { generatedFiles } from './generated-files';
