// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IOFT} from "@layerzerolabs/oft-evm/contracts/interfaces/IOFT.sol";
import {ILayerZeroEndpointV2} from "@layerzerolabs/lz-evm-protocol-v2/contracts/interfaces/ILayerZeroEndpointV2.sol";

/// @title IStargateWETHOFT
/// @notice A Stargate V2 native pool (`StargatePoolNative`, whose `token()` is `address(0)`) presented as the OFT of
/// WETH, so that a `RollupVaultComposer` over a WETH vault can send the vault's asset through it: `send` pulls WETH
/// from the caller, unwraps it and sends the ether through the pool in the same call. Holds nothing between calls.
/// @dev Quotes are the pool's. The pool takes only whole shared-decimal units: the dust of `amountLD` (below
/// 10^(18 - sharedDecimals) wei) is paid to the pool with the fee and comes back to `refundAddress` with the fee's
/// excess. The LayerZero token fee is not supported (the pool would pull it from this contract). The pool sees this
/// contract as the sender: a compose message sent through it names this contract as `composeFrom` on the destination.
interface IStargateWETHOFT is IOFT {
    /// @notice Ether was sent to this contract by `sender`, not by WETH's `withdraw`.
    error OnlyWETH(address sender);

    /// @notice `send` was asked to pay `lzTokenFee` in the LayerZero token, which this contract does not support.
    error LzTokenFeeUnsupported(uint256 lzTokenFee);

    /// @notice `send`'s native fee `nativeFee` is not the `msgValue` sent with it.
    error NativeFeeNotMsgValue(uint256 nativeFee, uint256 msgValue);

    /// @notice The Stargate V2 native pool that carries the ether.
    function POOL() external view returns (address);

    /// @notice The pool's LayerZero endpoint (what a LayerZero OApp exposes; the composer reads it).
    function endpoint() external view returns (ILayerZeroEndpointV2);
}
