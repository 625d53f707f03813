/** The AWS API emulator harness: moto server, receiver and subscriber resources, SNS tap. */
export { type EmulatorHandle, startEmulator } from './moto-server.ts';
export {
  type ConsumerResources,
  type EmulatorTarget,
  emulatorClientConfig,
  provisionConsumer,
  provisionReceiver,
  type ReceiverResources,
  setSigningKeys,
} from './provision.ts';
export { drainTap, parseSnsEnvelope, type TapDelivery, takeTapMessages } from './tap.ts';
