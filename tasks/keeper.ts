/** `npm run keeper -- --network <net> [--once] [--dry-run] [--policy file] [--from 0x...]`: see scripts/keeper.ts. */
import path from "node:path";
import { runKeeper } from "../scripts/keeper";
import { loadPolicy, policyFile } from "../scripts/keeper/policy";
import { task, TaskError } from "./lib";

task("keeper", "Runs the vaults by a policy: reports, harvests, queue service and allocation, each decision logged")
  .addOptionalParam("policy", "Policy file (default: keeper/policies/<network>.json)")
  .addOptionalParam("from", "The keeper's key (default: first account)")
  .addFlag("once", "One tick, then exit (for cron)")
  .addFlag("dryRun", "Decide and log, send nothing")
  .setAction(async (args: { policy?: string; from?: string; once: boolean; dryRun: boolean }, hre) => {
    const file = args.policy ?? policyFile(hre.config.paths.root, hre.network.name);
    let policy;
    try {
      policy = loadPolicy(path.resolve(file));
    } catch (error) {
      throw new TaskError((error as Error).message);
    }
    console.log(
      `keeper on ${hre.network.name}: policy ${path.relative(process.cwd(), file)}` +
        `${args.dryRun ? ", DRY RUN" : ""}${args.once ? ", once" : `, every ${policy.pollSeconds}s`}`,
    );
    return runKeeper(hre, policy, { once: args.once, dryRun: args.dryRun, from: args.from });
  });
