// Placeholder while the receiver is written; replaced by the real handler.
export const handler = async () => ({ statusCode: 503, body: '{"status":"unavailable"}' });
