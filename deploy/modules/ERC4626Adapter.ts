import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { memoByPrefix } from "./parts";
import { vaultModule } from "./Vault";

/**
 * An ERC4626Adapter from the vault into the ERC-4626 `target`, added to the vault with its caps.
 *
 * Every adapter module follows this shape, so a vault suite can list it in one line: deploy the adapter, then
 * `addAdapter(adapter, absoluteCap, relativeCapBps)` from the deployer (the owner while the timelock is zero),
 * and return `{ adapter }`. Built per vault (deploy/modules/parts.ts): module id `<prefix>ERC4626Adapter`.
 *
 * Parameters: target (address), absoluteCap (bigint, asset units), relativeCapBps.
 */
export const erc4626AdapterModule = memoByPrefix((prefix) =>
  buildModule(`${prefix}ERC4626Adapter`, (m) => {
    const { vault, core } = m.useModule(vaultModule(prefix));
    const target = m.getParameter<string>("target");
    const absoluteCap = m.getParameter<bigint>("absoluteCap");
    const relativeCapBps = m.getParameter<number>("relativeCapBps", 10_000);
    const adapter = m.contract("ERC4626Adapter", [core, target]);
    m.call(vault, "addAdapter", [adapter, absoluteCap, relativeCapBps], { id: "addAdapter" });
    return { adapter };
  }),
);

/** The main (USDC) vault's. */
export default erc4626AdapterModule("");
