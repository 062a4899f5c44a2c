import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * The admin module every vault delegatecalls for roles, timelock and configuration. It holds no state of its own,
 * so one deployment serves every vault on a chain.
 */
const VaultAdminModule = buildModule("VaultAdmin", (m) => {
  const admin = m.contract("VaultAdmin", []);
  return { admin };
});

export default VaultAdminModule;
