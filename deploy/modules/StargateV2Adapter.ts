import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { memoByPrefix } from "./parts";
import { vaultModule } from "./Vault";

/**
 * A StargateV2Adapter: the vault's asset as Stargate V2 pool liquidity, the LP staked in StargateStaking (farm
 * rewards STG, plus OP on Optimism / ARB on Arbitrum, go to the vault's rewards distributor on harvest). Added to
 * the vault with its caps. Module id `<prefix>StargateV2Adapter`.
 *
 * Parameters: pool, staking, weth (wraps native rewards), absoluteCap (bigint, asset units), relativeCapBps.
 */
export const stargateV2AdapterModule = memoByPrefix((prefix) =>
  buildModule(`${prefix}StargateV2Adapter`, (m) => {
    const { vault, core } = m.useModule(vaultModule(prefix));
    const adapter = m.contract("StargateV2Adapter", [
      core,
      m.getParameter<string>("pool"),
      m.getParameter<string>("staking"),
      m.getParameter<string>("weth"),
    ]);
    m.call(
      vault,
      "addAdapter",
      [adapter, m.getParameter<bigint>("absoluteCap"), m.getParameter<number>("relativeCapBps", 10_000)],
      { id: "addAdapter" },
    );
    return { adapter };
  }),
);

/** The main (USDC) vault's. */
export default stargateV2AdapterModule("");
