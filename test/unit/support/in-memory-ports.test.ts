/**
 * The in-memory fakes must refuse what the real adapters refuse, or the
 * receiver tests built on them prove nothing: the store runs the same
 * contract suite as the DynamoDB adapter on the emulator.
 */

import { describeIdempotencyStoreContract } from '../../support/idempotency-store-contract.ts';
import { InMemoryIdempotencyStore } from '../../support/in-memory-ports.ts';

describeIdempotencyStoreContract('InMemoryIdempotencyStore', () => new InMemoryIdempotencyStore());
