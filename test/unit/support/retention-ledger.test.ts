import { describeRetentionLedgerContract } from '../../support/contracts/retention-ledger-contract.ts';
import { InMemoryRetentionLedger } from '../../support/in-memory-ports.ts';

describeRetentionLedgerContract(
  'InMemoryRetentionLedger',
  async () => new InMemoryRetentionLedger(),
);
