// The product version has one home, the workspace manifest; esbuild inlines it into the bundle.
// eslint-disable-next-line @nx/enforce-module-boundaries
import rootPackage from '../../../package.json';

export const APP_VERSION: string = rootPackage.version;
