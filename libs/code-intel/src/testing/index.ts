export { CTAGS_KINDS, measureAgreement, runCtags, type AgreementReport, type CtagsTag } from './ctags-agreement';
export { FIXTURE_FILES } from './fixture-repository';
