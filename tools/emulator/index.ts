/** The AWS API emulator harness: moto server, receiver resources, SNS tap. */
export { type EmulatorHandle, startEmulator } from './moto-server.ts';
export {
  type EmulatorTarget,
  emulatorClientConfig,
  provisionReceiver,
  type ReceiverResources,
  setSigningKeys,
} from './provision.ts';
export { drainTap, parseSnsEnvelope, type TapDelivery, takeTapMessages } from './tap.ts';
