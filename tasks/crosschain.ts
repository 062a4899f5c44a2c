import { task, types } from "hardhat/config";
import { resolveSigner, TaskError } from "./lib";

type DepositFromArgs = {
  composer: string;
  pool: string;
  amount: string;
  receiver?: string;
  from?: string;
  vaultEid: number;
  farEid: number;
  sharesTo: string;
  slippageBps: number;
  composeGas: number;
  vaultRpc?: string;
  quoteOnly: boolean;
};

/**
 * `vault:deposit-from`: deposit into a vault from another chain in one transaction (issue 10 §2). Run on the FAR
 * chain (where the asset is): it quotes the shares and the fees through the vault chain's RollupVaultComposer and
 * sends the asset through the far chain's Stargate pool with the compose message. On the local setup both endpoint
 * ids live on one chain, so the composer is read through the same network unless --vault-rpc names another.
 */
task("vault:deposit-from", "Deposits into a vault from another chain through Stargate V2 (run on the far chain)")
  .addParam("composer", "The RollupVaultComposer on the vault's chain")
  .addParam("pool", "The asset's Stargate V2 pool on this (far) chain")
  .addParam("amount", "Amount of the asset to send, in its units (e.g. 1000.5)")
  .addOptionalParam("receiver", "Who gets the shares (default: the sender)")
  .addOptionalParam("from", "The sender (default: first account)")
  .addParam("vaultEid", "LayerZero endpoint id of the vault's chain", undefined, types.int)
  .addParam("farEid", "LayerZero endpoint id of this chain", undefined, types.int)
  .addOptionalParam("sharesTo", "'vault': shares stay on the vault's chain; 'far': sent back here as OFT", "vault")
  .addOptionalParam("slippageBps", "Slippage allowed on the shares, in basis points", 50, types.int)
  .addOptionalParam(
    "composeGas",
    "Gas for the compose on the vault's chain, paid in the bridge fee (0: no compose option; someone then " +
      "executes the compose, as anyone may; LayerZero's EndpointV2Mock of the local setup needs 0)",
    2_000_000,
    types.int,
  )
  .addOptionalParam("vaultRpc", "RPC URL of the vault's chain (default: this network)")
  .addFlag("quoteOnly", "Print the quote and send nothing")
  .setAction(async (args: DepositFromArgs, hre) => {
    // Loaded here, not at the top: hardhat.config.ts loads the tasks before typechain's output exists.
    const lib = await import("../scripts/lib/crosschain");
    const { ethers } = hre;
    for (const [flag, value] of [
      ["--composer", args.composer],
      ["--pool", args.pool],
    ] as const) {
      if (!ethers.isAddress(value)) throw new TaskError(`${flag} ${value} is not an address.`);
    }
    if (args.sharesTo !== "vault" && args.sharesTo !== "far") throw new TaskError("--shares-to is 'vault' or 'far'.");
    if (args.slippageBps < 0 || args.slippageBps > 10_000) throw new TaskError("--slippage-bps is 0 to 10000.");
    const signer = await resolveSigner(hre, args.from);
    const receiver = args.receiver ?? signer.address;
    if (!ethers.isAddress(receiver)) throw new TaskError(`--receiver ${receiver} is not an address.`);
    const composerRunner = args.vaultRpc ? new ethers.JsonRpcProvider(args.vaultRpc) : ethers.provider;
    if ((await composerRunner.getCode(args.composer)) === "0x") throw new TaskError(`No composer at ${args.composer}.`);

    const oft = await ethers.getContractAt("IOFT", args.pool, signer);
    const token = await ethers.getContractAt("IERC20Metadata", await oft.token(), signer);
    const decimals = await token.decimals();
    const amount = ethers.parseUnits(args.amount, decimals);
    const balance = await token.balanceOf(signer.address);
    if (amount > balance) {
      throw new TaskError(`${signer.address} holds only ${ethers.formatUnits(balance, decimals)} of the asset.`);
    }
    let quote: Awaited<ReturnType<typeof lib.quoteDepositFrom>>;
    try {
      quote = await lib.quoteDepositFrom(signer, {
        pool: args.pool,
        composer: args.composer,
        composerRunner,
        vaultEid: args.vaultEid,
        farEid: args.farEid,
        amount,
        receiver,
        sharesToFarChain: args.sharesTo === "far",
        slippageBps: BigInt(args.slippageBps),
        composeGas: args.composeGas === 0 ? null : BigInt(args.composeGas),
      });
    } catch (error) {
      const e = error as { shortMessage?: string; message?: string };
      throw new TaskError(`Quote failed (vault full or paused, no route?): ${e.shortMessage ?? e.message}`);
    }
    const fmtShares = (s: bigint) => ethers.formatUnits(s, 18);
    console.log(`arriving on the vault's chain: ${ethers.formatUnits(quote.assetsArriving, decimals)}`);
    console.log(`expected shares: ${fmtShares(quote.expectedShares)} (minimum ${fmtShares(quote.minShares)})`);
    console.log(`share send fee (paid on the vault's chain by the compose): ${ethers.formatEther(quote.shareSendFee)}`);
    console.log(`bridge fee (msg.value here): ${ethers.formatEther(quote.bridgeFee)}`);
    if (args.quoteOnly) return { quote, receipt: null };
    try {
      const tx = await lib.sendDepositFrom(signer, args.pool, quote);
      const receipt = await tx.wait();
      console.log(`sent: tx ${receipt?.hash} (gas ${receipt?.gasUsed})`);
      return { quote, receipt };
    } catch (error) {
      const e = error as { shortMessage?: string; message?: string };
      throw new TaskError(`Send failed: ${e.shortMessage ?? e.message}`);
    }
  });
