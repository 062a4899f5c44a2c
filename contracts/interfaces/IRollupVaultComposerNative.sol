// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRollupVaultComposer} from "./IRollupVaultComposer.sol";

/// @title IRollupVaultComposerNative
/// @notice `IRollupVaultComposer` for a WETH vault fed by ETH through Stargate V2's native pool: ether arriving with a
/// compose message is wrapped and deposited; the asset leaves as ether through the same pool (its asset OFT is a
/// `StargateWETHOFT`). A failure that cannot be refunded to the source chain delivers WETH on the vault's chain.
interface IRollupVaultComposerNative is IRollupVaultComposer {
    /// @notice The Stargate V2 native pool whose compose messages bring the ether (the asset OFT's `POOL`).
    function NATIVE_POOL() external view returns (address);
}
