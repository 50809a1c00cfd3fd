export { documentedSettings, schemaDefaults, type DocumentedSettingsOptions } from './documented-settings';
