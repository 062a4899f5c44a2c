/**
 * The ERC-4626 adapter belongs to the vault core, so its suite also runs when only test/vault is selected (as the
 * coverage command `hardhat coverage --testfiles "test/vault/**\/*.ts"` does). Node's module cache loads the file
 * once, so a full `hardhat test` still runs it a single time.
 */
import "../adapters/ERC4626Adapter.test";
