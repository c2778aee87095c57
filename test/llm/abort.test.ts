import { describe, expect, it } from 'vitest';
import { abortableSleep } from '../../src/llm/abort.js';

describe('abortableSleep', () => {
  it('resolves after the given time', async () => {
    const start = Date.now();
    await expect(abortableSleep(30, new AbortController().signal)).resolves.toBeUndefined();
    expect(Date.now() - start).toBeGreaterThanOrEqual(25);
  });

  it('rejects with the reason at once when the signal aborts, or is already aborted', async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    await expect(abortableSleep(10, controller.signal)).rejects.toBe(reason);
  });

  it('leaves no abort listener behind after resolving', async () => {
    const controller = new AbortController();
    await abortableSleep(1, controller.signal);
    let rejected = false;
    // A later abort must not reach the finished sleep (it would call reject on a settled promise, harmless,
    // but a leaked listener per retry grows without bound): count listeners via a wrapped signal.
    const added: string[] = [];
    const removed: string[] = [];
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((type: string, ...rest: never[]) => {
      added.push(type);
      return add(type, ...(rest as [never]));
    }) as typeof signal.addEventListener;
    signal.removeEventListener = ((type: string, ...rest: never[]) => {
      removed.push(type);
      return remove(type, ...(rest as [never]));
    }) as typeof signal.removeEventListener;
    await abortableSleep(1, signal).catch(() => {
      rejected = true;
    });
    expect(rejected).toBe(false);
    expect(added).toEqual(['abort']);
    expect(removed).toEqual(['abort']);
  });
});
