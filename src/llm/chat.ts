/** One Chat Completions message, as sent to an OpenAI-compatible endpoint. */
export interface ChatMessage {
  /** Who speaks: fixed instructions (`system`), data and question (`user`), or a model reply (`assistant`). */
  readonly role: 'system' | 'user' | 'assistant';
  /** The message text. */
  readonly content: string;
}

/**
 * The host's text-generation function (any LLM client), called nearline only: it may be slow, and
 * nothing online waits for it. It must stop work and reject when `signal` aborts.
 */
export type TextGenerator = (messages: readonly ChatMessage[], signal: AbortSignal) => Promise<string>;
