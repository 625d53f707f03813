/**
 * Every test run builds the function's asset first (`dist/handler/`, as
 * `npm run build` does), so the CDK tests synthesize and the bundle tests run
 * the very bytes the package ships.
 */
import { buildHandlerAsset, buildSubscriptionHealthAsset } from '../../scripts/handler-bundle.ts';

export default async function setup(): Promise<void> {
  await Promise.all([buildHandlerAsset(), buildSubscriptionHealthAsset()]);
}
