export { AccessService, type AccessServiceDeps, type Authentication } from './access.service';
export {
  MAX_KEY_NAME,
  MAX_KEY_NAMESPACES,
  apiKeySchema,
  createKeySchema,
  createdApiKeySchema,
  keyIdParamsSchema,
  type ApiKeyView,
  type CreateKeyInput,
  type CreatedApiKey,
} from './key.schemas';
export {
  ALL_NAMESPACES,
  BOOTSTRAP_PRINCIPAL,
  OPEN_PRINCIPAL,
  allowsAllNamespaces,
  chooseNamespace,
  mayManage,
  mayUseNamespace,
  type Principal,
} from './principal';
export { ROLES, isRole, roleAllows, type Role } from './roles';
export { KEY_PREFIX, generateKey, hashKey } from './secret';
