/** The handler's client options (`lambda/compose-receiver.ts`), which every floor client is constructed with. */
export const FLOOR_CLIENT_OPTIONS = {
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
} as const;
