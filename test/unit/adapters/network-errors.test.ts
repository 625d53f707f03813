import { describe, expect, it } from 'vitest';
import { classifyFailure, isRetryableRefusal } from '../../../lambda/adapters/network-errors.ts';

function answered(status: number, name = 'ServiceError') {
  return Object.assign(new Error('answered'), { name, $metadata: { httpStatusCode: status } });
}

function socketError(code: string, name = 'Error') {
  return Object.assign(new Error(code), { name, code, $metadata: {} });
}

describe('classifyFailure', () => {
  it.each([
    ['a refused connection', socketError('ECONNREFUSED')],
    ['an unresolvable host', socketError('ENOTFOUND')],
    ['a connect timeout', Object.assign(new Error('no connection'), { name: 'TimeoutError' })],
  ])('calls %s not sent', (_, error) => {
    expect(classifyFailure(error)).toBe('not-sent');
  });

  it.each([
    ['a 400 validation error', answered(400, 'InvalidParameterException')],
    ['a throttle', answered(400, 'Throttling')],
    ['a 403', answered(403, 'AuthorizationErrorException')],
    ['a 503', answered(503, 'ServiceUnavailable')],
  ])('calls %s refused', (_, error) => {
    expect(classifyFailure(error)).toBe('refused');
  });

  it.each([
    ['a connection reset after sending', socketError('ECONNRESET', 'TimeoutError')],
    ['a request timeout', socketError('ETIMEDOUT', 'TimeoutError')],
    ['a broken pipe', socketError('EPIPE')],
    ['a 500', answered(500, 'InternalError')],
    ['a 502', answered(502)],
    ['an unknown error', new Error('something')],
  ])('calls %s uncertain', (_, error) => {
    expect(classifyFailure(error)).toBe('uncertain');
  });
});

describe('isRetryableRefusal', () => {
  it.each([
    ['a 503', true, answered(503)],
    ['a 429', true, answered(429)],
    ['a throttle', true, answered(400, 'Throttling')],
    ['a validation error', false, answered(400, 'InvalidParameterException')],
    ['a missing topic', false, answered(404, 'NotFoundException')],
  ])('tells whether %s is worth another attempt (%s)', (_, expected, error) => {
    expect(isRetryableRefusal(error)).toBe(expected);
  });
});
