export const COMET_CONFIG = Symbol('COMET_CONFIG');
