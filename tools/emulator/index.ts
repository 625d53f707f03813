/** The AWS API emulator harness: moto server, receiver resources, SNS tap. */
export { type EmulatorHandle, startEmulator } from './moto-server.ts';
export {
  type EmulatorClientConfig,
  type EmulatorTarget,
  emulatorClientConfig,
  type ProvisionReceiverOptions,
  provisionReceiver,
  type ReceiverResources,
  type SetSigningKeysOptions,
  setSigningKeys,
} from './provision.ts';
export {
  type DrainTapOptions,
  drainTap,
  parseSnsEnvelope,
  type TapDelivery,
  takeTapMessages,
} from './tap.ts';
