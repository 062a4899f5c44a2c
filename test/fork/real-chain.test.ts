import { expect } from "chai";
import hre, { ethers } from "hardhat";
import { impersonateAccount, loadFixture, setBalance } from "@nomicfoundation/hardhat-network-helpers";
import { addressBook, networkConfigByChainId, type NetworkConfig } from "../../deploy/config";
import { deploySuiteInProcess } from "../../deploy/inProcess";
import { IERC20Metadata__factory, MockERC4626Target__factory } from "../../typechain-types";
import { describeWhen, FORK_CHAIN_ID, FORK_URL, REAL_CHAIN_IDS } from "./helpers";

/** The slice of Stargate V2 the suite relies on (protocols.md, stg-evm-v2@938c95d). */
const STARGATE_POOL_ABI = [
  "function lpToken() view returns (address)",
  "function tvl() view returns (uint256)",
  "function poolBalance() view returns (uint256)",
  "function redeemable(address owner) view returns (uint256)",
  "function token() view returns (address)",
];
const STARGATE_STAKING_ABI = [
  "function rewarder(address token) view returns (address)",
  "function totalSupply(address token) view returns (uint256)",
];
const MULTI_REWARDER_ABI = ["function rewardTokens() view returns (address[])"];

const onRealChain = FORK_CHAIN_ID !== undefined && REAL_CHAIN_IDS.includes(FORK_CHAIN_ID);

if (FORK_URL && !onRealChain) {
  describe("Real-chain fork", function () {
    it.skip("set FORK_URL=<optimism|base|arbitrum rpc> to run against real USDC and Stargate");
  });
}

describeWhen(onRealChain)(`Real-chain fork (chain ${FORK_CHAIN_ID})`, function () {
  const chainId = FORK_CHAIN_ID ?? 0;
  const book = () => {
    const b = addressBook(chainId);
    if (b === undefined) throw new Error(`No address book for chain ${chainId}`);
    return b;
  };

  it("finds native USDC with 6 decimals at the address-book address", async function () {
    const usdc = IERC20Metadata__factory.connect(book().usdc, ethers.provider);
    expect(await usdc.decimals()).to.equal(6n);
  });

  it("finds the Stargate USDC pool over USDC with an LP token, redeemable bounded by LP held, and a staking farm", async function () {
    const { stargate, usdc } = book();
    const pool = new ethers.Contract(stargate.poolUSDC, STARGATE_POOL_ABI, ethers.provider);
    const lp = (await pool.lpToken()) as string;
    expect(await ethers.provider.getCode(lp)).to.not.equal("0x");
    expect(((await pool.token()) as string).toLowerCase()).to.equal(usdc.toLowerCase());
    expect((await pool.tvl()) as bigint).to.be.greaterThan(0n);
    // redeemable(owner) = min(LP balance, local credit): zero for an account without LP.
    expect((await pool.redeemable(ethers.Wallet.createRandom().address)) as bigint).to.equal(0n);
    const staking = new ethers.Contract(stargate.staking, STARGATE_STAKING_ABI, ethers.provider);
    expect(((await staking.rewarder(lp)) as string).toLowerCase()).to.equal(stargate.multiRewarder.toLowerCase());
    const rewarder = new ethers.Contract(stargate.multiRewarder, MULTI_REWARDER_ABI, ethers.provider);
    const rewards = ((await rewarder.rewardTokens()) as string[]).map((t) => t.toLowerCase());
    expect(rewards).to.include(stargate.stg.toLowerCase());
  });

  /** The core suite over real USDC, through the Ignition modules, with a test-support ERC-4626 target. */
  async function suiteOverRealUsdc() {
    const [deployer] = await ethers.getSigners();
    const usdc = book().usdc;
    const target = await new MockERC4626Target__factory(deployer).deploy(usdc);
    const base = networkConfigByChainId(chainId) as NetworkConfig;
    const config: NetworkConfig = {
      ...base,
      kind: "local", // roles default to the in-process deployer on the fork
      roles: {},
      erc4626Adapter: { ...base.erc4626Adapter, target: { kind: "real", address: await target.getAddress() } },
    };
    const suite = await deploySuiteInProcess(hre, { config });
    // The Stargate pool holds USDC: it funds the depositor on the fork.
    const whale = stargateWhale();
    await impersonateAccount(whale);
    await setBalance(whale, ethers.parseEther("10"));
    const asset = IERC20Metadata__factory.connect(usdc, await ethers.getSigner(whale));
    await asset.transfer(deployer.address, 50_000n * 10n ** 6n);
    return { ...suite, usdc: IERC20Metadata__factory.connect(usdc, deployer), deployer };
  }
  const stargateWhale = () => book().stargate.poolUSDC;

  it("runs deposit, allocate, deallocate and withdraw of real USDC through a vault deployed by Ignition", async function () {
    const { vault, adapter, usdc, deployer } = await loadFixture(suiteOverRealUsdc);
    const amount = 50_000n * 10n ** 6n;
    await usdc.approve(await vault.getAddress(), amount);
    await vault.deposit(amount, deployer.address);
    await vault.allocate(await adapter.getAddress(), amount / 2n);
    await vault.deallocate(await adapter.getAddress(), amount / 4n);
    expect(await vault.totalIdle()).to.equal((amount * 3n) / 4n);
    const before = await usdc.balanceOf(deployer.address);
    await vault.redeem(await vault.balanceOf(deployer.address), deployer.address, deployer.address);
    expect((await usdc.balanceOf(deployer.address)) - before).to.equal(amount);
  });

  it.skip("routes USDC through StargateV2Adapter into the real pool and farm (pending the Stargate adapter module)");
});
