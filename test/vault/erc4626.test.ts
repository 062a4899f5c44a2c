import { deploy18, deploy6 } from "../helpers/fixtures";
import { shouldBehaveLikeERC4626 } from "./erc4626.behavior";

describe("RollupVault as ERC-4626", function () {
  describe("over a 6-decimal asset", function () {
    shouldBehaveLikeERC4626(deploy6, 6);
  });

  describe("over an 18-decimal asset", function () {
    shouldBehaveLikeERC4626(deploy18, 18);
  });
});
