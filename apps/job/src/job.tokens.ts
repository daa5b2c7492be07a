export const JOB_CONFIG = Symbol('JOB_CONFIG');
