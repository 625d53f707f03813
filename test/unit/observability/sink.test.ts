import { afterEach, describe, expect, it, vi } from 'vitest';
import { stdoutSink } from '../../../lambda/observability/sink.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('stdoutSink', () => {
  it('writes the lines it is given in one write, each ending in a newline', () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stdoutSink('{"level":"INFO"}\n{"_aws":{}}');
    expect(write.mock.calls).toEqual([['{"level":"INFO"}\n{"_aws":{}}\n']]);
  });
});
