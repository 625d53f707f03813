/** Thrown for props the receiver cannot deploy or the handler would refuse at cold start. */
export class ReceiverConfigurationError extends Error {
  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'ReceiverConfigurationError';
  }
}
