import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { memoByPrefix } from "./parts";
import VaultAdminModule from "./VaultAdmin";

/**
 * A RollupVault over the asset given as the `asset` parameter, wired to the shared VaultAdmin.
 *
 * The deployer (account 0) is the first owner, so the Suite module can appoint the roles and add adapters with
 * direct calls while the timelock is still zero; the Suite hands ownership over at the end if configured.
 *
 * Several vaults live on one chain, so the module is built per vault: `vaultModule(prefix)` has the id
 * `<prefix>Vault` ("Vault" for the main USDC vault, "StgVault", "VeVault"). The same prefix always gives the same
 * module object, so every part of a vault and the Suite share one deployment of it.
 *
 * Parameters (module "<prefix>Vault"): asset (address), name, symbol.
 */
export const vaultModule = memoByPrefix((prefix) =>
  buildModule(`${prefix}Vault`, (m) => {
    const { admin } = m.useModule(VaultAdminModule);
    const asset = m.getParameter<string>("asset");
    const name = m.getParameter<string>("name", "Rollup Vault");
    const symbol = m.getParameter<string>("symbol", "rvTKN");
    const core = m.contract("RollupVault", [asset, name, symbol, m.getAccount(0), admin]);
    // The same address seen through the whole surface (core + admin functions reached through the fallback).
    const vault = m.contractAt("IRollupVault", core, { id: "IRollupVault" });
    return { core, vault, admin };
  }),
);

const VaultModule = vaultModule("");
export default VaultModule;
