export { makeTinyModel } from './tiny-model';
