export const LOGIC_CONFIG = Symbol('LOGIC_CONFIG');
export const SESSION_REPOSITORY = Symbol('SESSION_REPOSITORY');
