import { RerankError } from '../errors/rerank-error.js';

/**
 * The two client shapes the Redis helpers accept, duck-typed so the library never imports a Redis
 * client: node-redis (v4+) exposes `sendCommand(args)`, ioredis exposes `call(command, ...args)`.
 */
export type RedisCommandClient =
  | { sendCommand(args: string[]): Promise<unknown> }
  | { call(command: string, ...args: string[]): Promise<unknown> };

/** Sends one raw command (`['SET', key, value]`) and resolves with the client's decoded reply. */
export type SendCommand = (args: string[]) => Promise<unknown>;

/**
 * Adapts a node-redis or ioredis client to {@link SendCommand}.
 *
 * @throws {@link RerankError} `INVALID_OPTION` when `client` has neither `sendCommand` nor `call`.
 */
export function commandSender(client: unknown, owner: string): SendCommand {
  const c = client as Partial<{ sendCommand: (args: string[]) => Promise<unknown>; call: (command: string, ...args: string[]) => Promise<unknown> }> | null;
  if (c !== null && typeof c === 'object' && typeof c.sendCommand === 'function') {
    const sendCommand = c.sendCommand.bind(c);
    return (args) => sendCommand(args);
  }
  if (c !== null && typeof c === 'object' && typeof c.call === 'function') {
    const call = c.call.bind(c);
    return ([command, ...args]) => call(command as string, ...args);
  }
  throw new RerankError('INVALID_OPTION', `${owner}: option "client" must be a node-redis client (sendCommand) or an ioredis client (call).`, {
    field: 'options.client',
  });
}

/** A reply value as text: strings as they are, buffers decoded as UTF-8, anything else undefined. */
export function replyText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder().decode(value);
  return undefined;
}

/**
 * `send` with a time limit: a command that has not answered within `ms` rejects (a connection that
 * dropped mid-command must never leave a caller waiting forever). The command may still run on the
 * server; every caller in this package is idempotent under that.
 */
export function timedSender(send: SendCommand, ms: number): SendCommand {
  return (args) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Redis ${String(args[0])} did not answer within ${ms} ms.`)), ms);
      send(args).then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (error: unknown) => {
          clearTimeout(timer);
          reject(error);
        },
      );
    });
}
