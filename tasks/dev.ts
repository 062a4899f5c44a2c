/**
 * dev:fund — test tokens for a local or test network: mints the vault's asset (or --token) to an account, but only
 * where that token is a test-support token (contracts/test-support/MockERC20: open mint). Refused on a mainnet and
 * for any token the chain's deployment record does not list under TestSupport# (the in-process network, whose
 * tokens are all test-support contracts, excepted).
 */
import { networkConfigByChainId } from "../deploy/config";
import { formatToken } from "./format";
import { context, deploymentRecord, task, TaskError, tokenInfo, type VaultArgs } from "./lib";

const IN_PROCESS_CHAIN_ID = 31337;

type FundArgs = VaultArgs & { amount: string; to?: string; token?: string };

task("dev:fund", "Mints test-support tokens (the vault's asset by default) to an account: local and test networks only")
  .addOptionalParam("vault", "The vault whose asset to mint (default: this chain's deployment record)")
  .addOptionalParam("from", "The sender (default: first account)")
  .addParam("amount", "Amount in the token's units (e.g. 1000)")
  .addOptionalParam("to", "Receiver (default: the sender)")
  .addOptionalParam("token", "Another test-support token to mint (default: the vault's asset)")
  .setAction(async (args: FundArgs, hre) => {
    const chainId = Number((await hre.ethers.provider.getNetwork()).chainId);
    if (networkConfigByChainId(chainId)?.kind === "mainnet") {
      throw new TaskError(`dev:fund refuses chain ${chainId}: a mainnet has no test-support tokens.`);
    }
    const ctx = await context(hre, args);
    const token = args.token ? args.token : await ctx.asset.getAddress();
    if (!hre.ethers.isAddress(token)) throw new TaskError(`--token ${token} is not an address.`);
    const address = hre.ethers.getAddress(token);
    if (chainId !== IN_PROCESS_CHAIN_ID) {
      const { file, record } = await deploymentRecord(hre);
      const listed = Object.entries(record).some(
        ([key, value]) =>
          key.startsWith("TestSupport#") && hre.ethers.isAddress(value) && hre.ethers.getAddress(value) === address,
      );
      if (!listed) {
        throw new TaskError(
          `${address} is not a test-support token of this chain (not under TestSupport# in ${file}): ` +
            "get it the way the real token is got.",
        );
      }
    }
    const { symbol, decimals } = await tokenInfo(hre, address);
    let amount: bigint;
    try {
      amount = hre.ethers.parseUnits(args.amount, decimals);
    } catch {
      throw new TaskError(`--amount ${args.amount} is not an amount with at most ${decimals} decimals.`);
    }
    if (amount <= 0n) throw new TaskError("--amount must be positive.");
    const to = args.to ?? ctx.signer.address;
    if (!hre.ethers.isAddress(to)) throw new TaskError(`--to ${to} is not an address.`);
    const mock = new hre.ethers.Contract(address, ["function mint(address to, uint256 amount)"], ctx.signer);
    let receipt;
    try {
      receipt = await (await mock.mint(to, amount)).wait();
    } catch (error) {
      throw new TaskError(`${symbol} ${address} did not mint: ${(error as Error).message.split("\n")[0]}`);
    }
    const balance = (await new hre.ethers.Contract(
      address,
      ["function balanceOf(address) view returns (uint256)"],
      hre.ethers.provider,
    ).balanceOf(to)) as bigint;
    console.log(
      `minted ${formatToken(amount, decimals, symbol)} to ${to} (tx ${receipt?.hash}); ` +
        `it now holds ${formatToken(balance, decimals, symbol)}`,
    );
    return { token: address, to, amount, balance };
  });
