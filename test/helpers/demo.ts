import hre, { ethers } from "hardhat";
import type { Wallet } from "ethers";
import { deployDemoSuite, newDemoContext, prng, type DemoContext, type Depositor } from "../../scripts/demo/context";

/** The suite as the demo deploys it, and depositors (`tag` -> a wallet derived from it) that deposited `amount`. */
export async function demoSuiteWithDepositors(tags: string[], amount: number) {
  const { suite, operator, roles } = await deployDemoSuite(hre);
  const decimals = Number(await suite.asset.decimals());
  const units = (n: number) => ethers.parseUnits(String(n), decimals);
  const wallets: Wallet[] = [];
  for (const tag of tags) {
    const wallet = new ethers.Wallet(ethers.id(tag), ethers.provider);
    await ethers.provider.send("hardhat_setBalance", [wallet.address, ethers.toQuantity(ethers.parseEther("10"))]);
    await suite.asset.mint(wallet.address, units(amount));
    await suite.asset.connect(wallet).approve(await suite.vault.getAddress(), units(amount));
    await suite.vault.connect(wallet).deposit(units(amount), wallet.address);
    wallets.push(wallet);
  }
  return { suite, operator, roles, decimals, units, wallets };
}

/** A demo context on day 0 over that suite (seed 42, 30 days), with the given depositors. */
export function demoStepContext(
  base: Awaited<ReturnType<typeof demoSuiteWithDepositors>>,
  depositors: Depositor[],
): DemoContext {
  const { suite, operator, roles, decimals } = base;
  return newDemoContext(
    {
      hre,
      suite,
      roles,
      operator,
      seed: 42,
      depositors,
      random: prng(42),
      days: 30,
      fmt: (v) => `${ethers.formatUnits(v, decimals)} tUSDC`,
    },
    decimals,
  );
}

/** Runs `fn` and returns what it printed with console.log. */
export async function printedBy(fn: () => Promise<void>): Promise<string[]> {
  const printed: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void printed.push(args.join(" "));
  try {
    await fn();
  } finally {
    console.log = original;
  }
  return printed;
}
