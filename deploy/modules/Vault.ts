import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import VaultAdminModule from "./VaultAdmin";

/**
 * A RollupVault over the asset given as the `asset` parameter, wired to the shared VaultAdmin.
 *
 * The deployer (account 0) is the first owner, so the Suite module can appoint the roles and add adapters with
 * direct calls while the timelock is still zero; the Suite hands ownership over at the end if configured.
 *
 * Parameters (module "Vault"): asset (address), name, symbol.
 */
const VaultModule = buildModule("Vault", (m) => {
  const { admin } = m.useModule(VaultAdminModule);
  const asset = m.getParameter<string>("asset");
  const name = m.getParameter<string>("name", "Rollup Vault");
  const symbol = m.getParameter<string>("symbol", "rvTKN");
  const core = m.contract("RollupVault", [asset, name, symbol, m.getAccount(0), admin]);
  // The same address seen through the whole surface (core + admin functions reached through the fallback).
  const vault = m.contractAt("IRollupVault", core, { id: "IRollupVault" });
  return { core, vault, admin };
});

export default VaultModule;
