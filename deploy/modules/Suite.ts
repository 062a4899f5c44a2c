import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { ContractFuture, IgnitionModule } from "@nomicfoundation/ignition-core";
import ERC4626AdapterModule from "./ERC4626Adapter";
import VaultModule from "./Vault";

type AnyModule = IgnitionModule<string, string, Record<string, ContractFuture<string>>>;

/**
 * The parts wired into the vault before the timelock is raised: every adapter module, and later the rewards
 * distributor and the redemption queue. Each part is one module that uses VaultModule, deploys its contract,
 * makes its own owner/curator call on the vault (`addAdapter`, `setRewardsDistributor`, ...) from the deployer,
 * and returns exactly one contract, which the Suite exposes under the part's key here. ADDING A PART IS ONE LINE
 * HERE plus its parameters in deploy/config (types.ts, the network files, and `planSuite` in index.ts).
 */
export const SUITE_PARTS = {
  erc4626Adapter: ERC4626AdapterModule,
  // stargateV2Adapter: StargateV2AdapterModule,
  // rewardsDistributor: RewardsDistributorModule,
  // redemptionQueue: RedemptionQueueModule,
} satisfies Record<string, AnyModule>;

export type SuiteOptions = {
  /**
   * Hand ownership to the `owner` parameter at the end. Only when it differs from the deployer: `setOwner` to the
   * current owner reverts (AlreadySet). The deploy script picks the variant (deploy/modules/SuiteHandover.ts).
   */
  handOverOwnership: boolean;
};

/**
 * The whole suite on one chain: shared VaultAdmin, the vault, every part of SUITE_PARTS, the roles, and the
 * timelock raised last (every call before it runs directly while the timelock is zero).
 *
 * Parameters (module "Suite"): curator, allocator, guardian, keeper, feeRecipient, skimRecipient (addresses),
 * performanceFeeBps, managementFeeBps (nonzero: setting the current value reverts), timelock (seconds, nonzero),
 * and owner when handing over.
 */
export function buildSuiteModule({ handOverOwnership }: SuiteOptions) {
  return buildModule("Suite", (m) => {
    const { vault, core, admin } = m.useModule(VaultModule);

    const setCurator = m.call(vault, "setCurator", [m.getParameter<string>("curator")]);
    const setGuardian = m.call(vault, "setGuardian", [m.getParameter<string>("guardian")]);
    const setAllocator = m.call(vault, "setAllocator", [m.getParameter<string>("allocator"), true]);
    const setKeeper = m.call(vault, "setKeeper", [m.getParameter<string>("keeper"), true]);
    const setFeeRecipient = m.call(vault, "setFeeRecipient", [m.getParameter<string>("feeRecipient")]);
    const setSkimRecipient = m.call(vault, "setSkimRecipient", [m.getParameter<string>("skimRecipient")]);
    const setPerformanceFee = m.call(vault, "setPerformanceFee", [m.getParameter<number>("performanceFeeBps")], {
      after: [setFeeRecipient],
    });
    const setManagementFee = m.call(vault, "setManagementFee", [m.getParameter<number>("managementFeeBps")], {
      after: [setFeeRecipient],
    });

    const parts = {} as Record<keyof typeof SUITE_PARTS, ContractFuture<string>>;
    for (const [key, part] of Object.entries(SUITE_PARTS) as [keyof typeof SUITE_PARTS, AnyModule][]) {
      const results = Object.values(m.useModule(part));
      if (results.length !== 1) throw new Error(`Suite part ${key} must return exactly one contract.`);
      parts[key] = results[0];
    }

    const configured = [
      setCurator,
      setGuardian,
      setAllocator,
      setKeeper,
      setFeeRecipient,
      setSkimRecipient,
      setPerformanceFee,
      setManagementFee,
      ...Object.values(SUITE_PARTS),
    ];
    if (handOverOwnership) {
      // setOwner is timelocked, so it runs while the timelock is still zero. setTimelock is owner-only, so after a
      // handover raising it is the new owner's first act (the deploy script says so loudly).
      m.call(vault, "setOwner", [m.getParameter<string>("owner")], { after: configured });
    } else {
      // Last: from here on every risk-raising change waits the timelock.
      m.call(vault, "setTimelock", [m.getParameter<bigint>("timelock")], { after: configured });
    }
    return { vault, core, admin, ...parts };
  });
}

const SuiteModule = buildSuiteModule({ handOverOwnership: false });
export default SuiteModule;
