import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import type { NamedArtifactContractDeploymentFuture } from "@nomicfoundation/ignition-core";
import {
  DELIVERY_GAS,
  LOCAL_EID,
  REMOTE_EID,
  USDC_ASSET_ID,
  lzReceiveOption,
  readStargateArtifact,
} from "../../scripts/lib/stargateArtifacts";
import TestSupportModule from "./TestSupport";

type Builder = Parameters<Parameters<typeof buildModule>[1]>[0];
type AccountFuture = ReturnType<Builder["getAccount"]>;
type StargateSideFutures = ReturnType<typeof stargateSide>;

/**
 * One endpoint id's Stargate (official bytecode of @stargatefinance/stg-evm-v2, BUSL-1.1: local and test use only):
 * EndpointV2Mock, TokenMessaging, CreditMessaging, a StargatePoolUSDC over `token` (6 decimals) with FeeLibV1, the
 * deployer as owner, planner and treasurer. Future ids start with `prefix`.
 */
function stargateSide(
  m: Builder,
  prefix: string,
  eid: number,
  token: NamedArtifactContractDeploymentFuture<string>,
  deployer: AccountFuture,
  cast: NamedArtifactContractDeploymentFuture<string>,
) {
  const endpoint = m.contract("EndpointV2Mock", readStargateArtifact("EndpointV2Mock"), [eid], {
    id: `${prefix}Endpoint`,
  });
  const tokenMessaging = m.contract(
    "TokenMessaging",
    readStargateArtifact("TokenMessaging"),
    [endpoint, deployer, 128],
    {
      id: `${prefix}TokenMessaging`,
    },
  );
  const creditMessaging = m.contract("CreditMessaging", readStargateArtifact("CreditMessaging"), [endpoint, deployer], {
    id: `${prefix}CreditMessaging`,
  });
  const pool = m.contract(
    "StargatePoolUSDC",
    readStargateArtifact("StargatePoolUSDC"),
    ["USDC-LP", "S*USDC", token, 6, 6, endpoint, deployer],
    { id: `${prefix}PoolUSDC` },
  );
  const feeLib = m.contract("FeeLibV1", readStargateArtifact("FeeLibV1"), [pool], { id: `${prefix}FeeLib` });
  const config = m.call(
    pool,
    "setAddressConfig",
    [
      {
        feeLib,
        planner: deployer,
        treasurer: deployer,
        tokenMessaging,
        creditMessaging,
        lzToken: "0x0000000000000000000000000000000000000000",
      },
    ],
    { id: `${prefix}SetAddressConfig` },
  );
  const calls = [
    config,
    m.call(tokenMessaging, "setAssetId", [pool, USDC_ASSET_ID], { id: `${prefix}TokenAssetId` }),
    m.call(creditMessaging, "setAssetId", [pool, USDC_ASSET_ID], { id: `${prefix}CreditAssetId` }),
    m.call(tokenMessaging, "setPlanner", [deployer], { id: `${prefix}TokenPlanner` }),
    m.call(creditMessaging, "setPlanner", [deployer], { id: `${prefix}CreditPlanner` }),
  ];
  const tokenPeer = m.staticCall(cast, "toBytes32", [tokenMessaging], 0, { id: `${prefix}TokenPeerBytes` });
  const creditPeer = m.staticCall(cast, "toBytes32", [creditMessaging], 0, { id: `${prefix}CreditPeerBytes` });
  return { eid, endpoint, tokenMessaging, creditMessaging, pool, feeLib, calls, tokenPeer, creditPeer };
}

/** Wires `from` towards `to`: peers, endpoint routes, delivery gas, enforced taxi options, zero fees. */
function wireStargate(m: Builder, prefix: string, from: StargateSideFutures, to: StargateSideFutures) {
  return [
    ...from.calls,
    m.call(from.tokenMessaging, "setPeer", [to.eid, to.tokenPeer], { id: `${prefix}TokenPeer` }),
    m.call(from.creditMessaging, "setPeer", [to.eid, to.creditPeer], { id: `${prefix}CreditPeer` }),
    m.call(from.endpoint, "setDestLzEndpoint", [to.tokenMessaging, to.endpoint], { id: `${prefix}RouteToken` }),
    m.call(from.endpoint, "setDestLzEndpoint", [to.creditMessaging, to.endpoint], { id: `${prefix}RouteCredit` }),
    m.call(from.tokenMessaging, "setGasLimit", [to.eid, DELIVERY_GAS, DELIVERY_GAS], { id: `${prefix}TokenGas` }),
    m.call(
      from.tokenMessaging,
      "setEnforcedOptions",
      [[{ eid: to.eid, msgType: 1, options: lzReceiveOption(DELIVERY_GAS) }]],
      { id: `${prefix}TaxiOptions` },
    ),
    m.call(from.creditMessaging, "setGasLimit", [to.eid, DELIVERY_GAS], { id: `${prefix}CreditGas` }),
    m.call(from.feeLib, "setFeeConfig", [to.eid, 0, 0, 0, 0, 0, 0], { id: `${prefix}FeeConfig` }),
  ];
}

const DAY = 24n * 3600n;
const E18 = 10n ** 18n;

/**
 * The REAL Stargate V2 contracts (official bytecode of @stargatefinance/stg-evm-v2, BUSL-1.1) for the local node and
 * the in-process network only: never deployed to a live network or a public testnet (scripts/deploy.ts refuses),
 * where the suite uses Stargate's own deployments. Two LayerZero endpoint ids on this one chain (EndpointV2Mock, over
 * EIP-170's size limit: anvil runs with --disable-code-size-limit): a StargatePoolUSDC over tUSDC here and one over a
 * far-chain tUSDC, wired through TokenMessaging and CreditMessaging, the deployer as owner and planner;
 * StargateStaking with ONE StargateMultiRewarder streaming tSTG and tOP (from TestSupport) to the local LP's stakers.
 *
 * Parameters (module "StargateTestSupport"): farmStart (required: unix time at or after the block that starts the
 * farm; the deploy computes it from the node's clock); optional stgFarmBudget, opFarmBudget (18 decimals, streamed
 * over farmDuration seconds).
 */
const StargateTestSupportModule = buildModule("StargateTestSupport", (m) => {
  const deployer = m.getAccount(0);
  const testSupport = m.useModule(TestSupportModule);
  const { asset6, stg, op } = testSupport;
  // ------------------------------------------------------------ Stargate V2: the official bytecode, two endpoint ids
  // Local side (this chain, where the vault lives) and remote side (a far chain) on two EndpointV2Mock eids; the
  // deployer owns every Stargate contract and is the planner. The USDC pools hold the open-mint tUSDC here (the
  // tests of test/helpers/stargate.ts use Circle's real FiatTokenV2_2 instead).
  const cast = m.contract("LzAddressCast", [], { id: "LzAddressCast" });
  const remoteAsset6 = m.contract("MockERC20", ["Test USD Coin (far chain)", "tUSDC.far", 6], { id: "RemoteAsset6" });
  const local = stargateSide(m, "Stargate", LOCAL_EID, asset6, deployer, cast);
  const remote = stargateSide(m, "StargateRemote", REMOTE_EID, remoteAsset6, deployer, cast);
  const wiredLocal = wireStargate(m, "Stargate", local, remote);
  const wiredRemote = wireStargate(m, "StargateRemote", remote, local);
  const stargatePool = local.pool;
  const lpAddress = m.staticCall(stargatePool, "lpToken", [], 0, { id: "readLpToken" });
  const stargateLp = m.contractAt("LPToken", readStargateArtifact("LPToken"), lpAddress, { id: "StargateLpUSDC" });
  const stargateStaking = m.contract("StargateStaking", readStargateArtifact("StargateStaking"), [], {
    id: "StargateStaking",
  });
  const stargateRewarder = m.contract(
    "StargateMultiRewarder",
    readStargateArtifact("StargateMultiRewarder"),
    [stargateStaking],
    { id: "StargateRewarder" },
  );
  const setPool = m.call(stargateStaking, "setPool", [stargateLp, stargateRewarder], { id: "setPool" });
  // Budgets and duration of the two farm campaigns (Ignition parameters cannot take part in arithmetic). The
  // rewarder refuses a start in the past, so the deploy passes `farmStart` (a little after the node's clock).
  const stgFarmBudget = m.getParameter<bigint>("stgFarmBudget", 2_000n * 365n * E18);
  const opFarmBudget = m.getParameter<bigint>("opFarmBudget", 1_000n * 365n * E18);
  const farmDuration = m.getParameter<bigint>("farmDuration", 365n * DAY);
  const farmStart = m.getParameter<bigint>("farmStart");
  const mintStgFarm = m.call(stg, "mint", [deployer, stgFarmBudget], { id: "mintStgFarm" });
  const approveStgFarm = m.call(stg, "approve", [stargateRewarder, stgFarmBudget], {
    id: "approveStgFarm",
    after: [mintStgFarm],
  });
  const allocStg = m.call(stargateRewarder, "setAllocPoints", [stg, [stargateLp], [1]], {
    id: "allocStg",
    after: [setPool],
  });
  m.call(stargateRewarder, "setReward", [stg, stgFarmBudget, farmStart, farmDuration], {
    id: "streamStg",
    after: [approveStgFarm, allocStg],
  });
  const mintOpFarm = m.call(op, "mint", [deployer, opFarmBudget], { id: "mintOpFarm" });
  const approveOpFarm = m.call(op, "approve", [stargateRewarder, opFarmBudget], {
    id: "approveOpFarm",
    after: [mintOpFarm],
  });
  const allocOp = m.call(stargateRewarder, "setAllocPoints", [op, [stargateLp], [1]], {
    id: "allocOp",
    after: [setPool],
  });
  m.call(stargateRewarder, "setReward", [op, opFarmBudget, farmStart, farmDuration], {
    id: "streamOp",
    after: [approveOpFarm, allocOp, ...wiredLocal, ...wiredRemote],
  });

  return {
    // TestSupport's results too: one in-process deployment of this module gives the whole test-support set.
    ...testSupport,
    stargatePool,
    stargateLp,
    stargateStaking,
    stargateRewarder,
    stargateEndpoint: local.endpoint,
    stargateTokenMessaging: local.tokenMessaging,
    stargateCreditMessaging: local.creditMessaging,
    stargateFeeLib: local.feeLib,
    remoteAsset6,
    stargateRemotePool: remote.pool,
    stargateRemoteEndpoint: remote.endpoint,
    stargateRemoteTokenMessaging: remote.tokenMessaging,
    stargateRemoteCreditMessaging: remote.creditMessaging,
    stargateRemoteFeeLib: remote.feeLib,
  };
});

export default StargateTestSupportModule;
