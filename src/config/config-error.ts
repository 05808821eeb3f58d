/** A configuration the service refuses to start with; its message names the variable and what it must be. */
export class ConfigError extends Error {}
