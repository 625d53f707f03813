/**
 * Stand-ins for AWS SDK v3 clients: the adapters only call `client.send(command)`,
 * so an object with a `send` mock is enough. The cast lives here, once.
 */
import { type Mock, vi } from 'vitest';

/** What a client's `send` is replaced with. */
export type SendMock = Mock<(command: unknown, options?: unknown) => Promise<unknown>>;

/** A client of type `Client` whose `send` is a mock. */
export function mockSdkClient<Client>(): { readonly client: Client; readonly send: SendMock } {
  const send: SendMock = vi.fn<(command: unknown, options?: unknown) => Promise<unknown>>();
  return { client: { send } as unknown as Client, send };
}

/** The command of the `index`th `send` call, checked to be a `Command`. */
export function sentCommand<Command>(
  send: SendMock,
  index: number,
  type: abstract new (...args: never[]) => Command,
): Command {
  const command = send.mock.calls[index]?.[0];
  if (!(command instanceof type)) {
    throw new TypeError(`send call ${index} was not a ${type.name}`);
  }
  return command;
}
