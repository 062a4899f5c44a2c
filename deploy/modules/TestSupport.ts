import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Test-support protocols for networks that lack the real ones (the in-process network, the local L2 node, and
 * testnets whose config says so): a 6-decimal and an 18-decimal asset, and an ERC-4626 target over each.
 *
 * NEVER deploy this to a mainnet: the tokens mint to anyone. The deploy script refuses to and warns loudly
 * wherever it does deploy it. The suite then treats these addresses as the external protocol of that network.
 */
const TestSupportModule = buildModule("TestSupport", (m) => {
  const asset6 = m.contract("MockERC20", ["Test USD Coin", "tUSDC", 6], { id: "Asset6" });
  const asset18 = m.contract("MockERC20", ["Test Wrapped Ether", "tWETH", 18], { id: "Asset18" });
  const target6 = m.contract("MockERC4626Target", [asset6], { id: "Target6" });
  const target18 = m.contract("MockERC4626Target", [asset18], { id: "Target18" });
  return { asset6, asset18, target6, target18 };
});

export default TestSupportModule;
