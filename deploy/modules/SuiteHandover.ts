import { buildFullSuite, vaultsFromEnv } from "./Suite";

/**
 * The suite for networks whose configured owner is not the deployer: the same vault suites (same module ids), each
 * ending with `setOwner(owner)` while its timelock is still zero. The new owner then raises each timelock itself.
 */
export default buildFullSuite(vaultsFromEnv(), { handOverOwnership: true });
