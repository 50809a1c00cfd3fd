import { renderCompose, renderEnvExample } from './compose';
import type { DeploymentConfig } from './config';

/** Files the generator owns, relative to the workspace root. */
export function generatedFiles(config: DeploymentConfig): Record<string, string> {
  return {
    'docker-compose.yml': renderCompose(config),
    '.env.example': renderEnvExample(config),
  };
}
