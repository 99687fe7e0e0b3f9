// The error a bad environment variable stops start-up with; its message names the variable.
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`Invalid ${variable}: ${message}`);
    this.name = "ConfigError";
  }
}
