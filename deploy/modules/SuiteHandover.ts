import { buildSuiteModule } from "./Suite";

/**
 * The Suite for networks whose configured owner is not the deployer: same futures (module id "Suite"), then
 * `setOwner(owner)` while the timelock is still zero. The new owner then raises the timelock itself.
 */
export default buildSuiteModule({ handOverOwnership: true });
