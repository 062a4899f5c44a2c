// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IWETH} from "../interfaces/external/IWETH.sol";
import {IStargateWETHOFT} from "../interfaces/IStargateWETHOFT.sol";
import {IRollupVaultComposerNative} from "../interfaces/IRollupVaultComposerNative.sol";
import {RollupVaultComposer} from "./RollupVaultComposer.sol";

/// @title RollupVaultComposerNative
/// @notice `RollupVaultComposer` for a WETH vault fed by ETH through Stargate V2's native pool
/// (`StargatePoolNative`): ether that arrives with a compose message is wrapped and deposited; redeemed WETH leaves as
/// ether through the same pool (to chain B, or back to the sender when a compose fails and the executor paid the
/// refund); a failure that cannot be refunded delivers WETH to the sender on this chain.
/// @dev WHY A VARIANT: LayerZero's `VaultComposerSync` requires its asset OFT's `token()` to be the vault's asset;
/// the native pool's is `address(0)`, so no composer over it can be built, by inheritance or otherwise, for a WETH
/// vault. Here the asset OFT is a `StargateWETHOFT` (the pool presented as the OFT of WETH: it unwraps and sends
/// through the pool), every outgoing path of `RollupVaultComposer` is unchanged, and the compose sender it accepts
/// for the asset is the native pool itself, whose ether is wrapped before the compose runs.
contract RollupVaultComposerNative is RollupVaultComposer, IRollupVaultComposerNative {
    /// @inheritdoc IRollupVaultComposerNative
    address public immutable NATIVE_POOL;

    constructor(
        address vault,
        address wethOFT,
        address shareOFT,
        uint256 minComposeGas,
        uint256 recoveryGas
    ) RollupVaultComposer(vault, wethOFT, shareOFT, minComposeGas, recoveryGas) {
        NATIVE_POOL = IStargateWETHOFT(wethOFT).POOL();
    }

    /// @dev The native pool's compose runs as a deposit of the asset. `StargateWETHOFT` never composes, so it is no
    /// valid sender.
    function _composeOFT(address composeSender) internal view override returns (address oft) {
        if (composeSender == NATIVE_POOL) return ASSET_OFT;
        if (composeSender == ASSET_OFT) revert OnlyValidComposeCaller(composeSender);
        return super._composeOFT(composeSender);
    }

    /// @dev The native pool paid `amount` of ether to this contract before the compose (its payout to `receive`,
    /// which is empty, fits the pool's 2,300 gas): wrap it into the vault's asset.
    function _takeIn(address composeSender, uint256 amount) internal override {
        if (composeSender == NATIVE_POOL) IWETH(ASSET_ERC20).deposit{value: amount}();
    }
}
