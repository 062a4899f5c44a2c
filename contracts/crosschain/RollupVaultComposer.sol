// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {IOFT, SendParam, MessagingFee} from "@layerzerolabs/oft-evm/contracts/interfaces/IOFT.sol";
import {OFTComposeMsgCodec} from "@layerzerolabs/oft-evm/contracts/libs/OFTComposeMsgCodec.sol";
import {VaultComposerSync} from "@layerzerolabs/ovault-evm/contracts/VaultComposerSync.sol";
import {IRollupVaultComposer} from "../interfaces/IRollupVaultComposer.sol";

/// @notice The part of an OFT that tells how many local units make one shared-decimal unit.
interface IOFTDecimals {
    function decimalConversionRate() external view returns (uint256);
}

/// @title RollupVaultComposer
/// @notice One-transaction deposits into a RollupVault from another chain, and exits to another chain, on LayerZero's
/// OVault composer: a user on chain B sends the asset through its Stargate V2 pool (the asset's OFT) with a compose
/// message; on the vault's chain the composer deposits it and sends the shares to the user (here, or back to B as a
/// `VaultShareOFT` through the vault's `VaultShareOFTAdapter`). Shares sent here the same way are redeemed and the
/// asset sent on through Stargate.
/// @dev WHY A SUBCLASS of `VaultComposerSync` (`@layerzerolabs/ovault-evm`, imported, not copied):
/// - Refunds. The reference refunds a failed compose only by sending back through the OFT with the executor's
///   `msg.value`; with no fee (or no Stargate credit on the way back, or a paused pool) the refund reverts, the whole
///   compose reverts and the user's tokens sit in the composer until someone pays. Here a failed refund delivers the
///   tokens to the sender's address on this chain instead (`DeliveredOnVaultChain`).
/// - Gas. The reference forwards all gas to the deposit; one running out of gas leaves 1/64 for the refund, too
///   little. Here `RECOVERY_GAS` is held back and a compose below `MIN_COMPOSE_GAS` reverts whole (retryable).
/// - Stuck messages. A `minMsgValue` nobody pays keeps the reference's message in the endpoint for good; here the
///   sender may execute it with less (as the executor) and take the failure path.
/// - Dust. Shares below the share OFT's shared decimals stayed in the reference composer; here they go to the
///   depositor on this chain.
/// - Exits. When the asset cannot be sent on after a composed redeem (no Stargate credit on the path), the redeemed
///   asset goes to the redeemer on this chain instead of reverting the redeem (`AssetKeptOnVaultChain`).
contract RollupVaultComposer is VaultComposerSync, IRollupVaultComposer {
    using OFTComposeMsgCodec for bytes;
    using OFTComposeMsgCodec for bytes32;
    using SafeERC20 for IERC20;

    /// @notice Gas kept for the delivery on this chain (one token transfer and an ether refund) after a refund
    /// attempt fails.
    uint256 public constant DELIVERY_RESERVE = 100_000;

    /// @inheritdoc IRollupVaultComposer
    uint256 public immutable MIN_COMPOSE_GAS;
    /// @inheritdoc IRollupVaultComposer
    uint256 public immutable RECOVERY_GAS;

    /// @dev Who executes the current compose (the endpoint's `executor`): it paid `msg.value`, so fee excess and
    /// unspent ether go back to it (the reference composer uses `tx.origin`).
    address private transient _executor;

    constructor(
        address vault,
        address assetOFT,
        address shareOFT,
        uint256 minComposeGas,
        uint256 recoveryGas
    ) VaultComposerSync(vault, assetOFT, shareOFT) {
        if (minComposeGas <= recoveryGas || recoveryGas <= DELIVERY_RESERVE) {
            revert InvalidGasConfig(minComposeGas, recoveryGas);
        }
        MIN_COMPOSE_GAS = minComposeGas;
        RECOVERY_GAS = recoveryGas;
    }

    // ================================================================== compose

    /// @notice Entry point of the LayerZero endpoint for a composed deposit (asset arrived) or redeem (shares
    /// arrived). Never keeps what arrived: see the failure rules on `IRollupVaultComposer`.
    function lzCompose(
        address composeSender,
        bytes32 guid,
        bytes calldata message,
        address executor,
        bytes calldata
    ) external payable override {
        if (msg.sender != ENDPOINT) revert OnlyEndpoint(msg.sender);
        address oft = _composeOFT(composeSender);
        // Too little gas: revert whole, so that the message stays in the endpoint for anyone to execute again.
        if (gasleft() < MIN_COMPOSE_GAS) revert InsufficientComposeGas(gasleft(), MIN_COMPOSE_GAS);

        _executor = executor;
        bytes32 composeFrom = message.composeFrom();
        uint256 amount = message.amountLD();
        _takeIn(composeSender, amount);
        try
            this.handleCompose{value: msg.value, gas: gasleft() - RECOVERY_GAS}(
                oft,
                composeFrom,
                message.composeMsg(),
                amount
            )
        {
            emit Sent(guid);
        } catch (bytes memory err) {
            // An executor that paid less than the sender asked for cannot force the failure path; the sender can
            // (the endpoint passes whoever called its permissionless `lzCompose` as `executor`).
            if (bytes4(err) == InsufficientMsgValue.selector && executor != composeFrom.bytes32ToAddress()) {
                assembly ("memory-safe") {
                    revert(add(32, err), mload(err))
                }
            }
            _recover(oft, guid, message.srcEid(), composeFrom, amount, executor);
        }
    }

    /// @inheritdoc IRollupVaultComposer
    function refundToSource(address oft, uint32 srcEid, bytes32 to, uint256 amount) external payable {
        if (msg.sender != address(this)) revert OnlySelf(msg.sender);
        SendParam memory refund;
        refund.dstEid = srcEid;
        refund.to = to;
        refund.amountLD = amount;
        // An OFT send (not ether's `send`); the fee's excess goes back to the executor.
        // solhint-disable-next-line check-send-result
        IOFT(oft).send{value: msg.value}(refund, MessagingFee(msg.value, 0), _executor);
    }

    // ================================================================== quotes

    /// @inheritdoc IRollupVaultComposer
    function quoteDeposit(
        uint256 assets,
        uint32 dstEid,
        bytes32 to,
        bytes calldata extraOptions
    ) external view returns (uint256 shares, MessagingFee memory fee) {
        uint256 maxDeposit = VAULT.maxDeposit(address(this));
        if (assets > maxDeposit) revert ERC4626.ERC4626ExceededMaxDeposit(address(this), assets, maxDeposit);
        shares = VAULT.previewDeposit(assets);
        if (dstEid != VAULT_EID) {
            SendParam memory param = SendParam(dstEid, to, _withoutDust(shares), 0, extraOptions, "", "");
            fee = IOFT(SHARE_OFT).quoteSend(param, false);
        }
    }

    /// @inheritdoc IRollupVaultComposer
    function quoteRedeem(
        uint256 shares,
        uint32 dstEid,
        bytes32 to,
        bytes calldata extraOptions
    ) external view returns (uint256 assets, MessagingFee memory fee) {
        assets = VAULT.previewRedeem(shares);
        if (dstEid != VAULT_EID) {
            SendParam memory param = SendParam(dstEid, to, assets, 0, extraOptions, "", "");
            fee = IOFT(ASSET_OFT).quoteSend(param, false);
        }
    }

    // ================================================================== overrides

    /// @dev The reference flow, except that share dust below the OFT's shared decimals goes to the depositor here.
    function _depositAndSend(
        bytes32 depositor,
        uint256 assetAmount,
        SendParam memory sendParam,
        address refundAddress
    ) internal override {
        uint256 shares = _deposit(depositor, assetAmount);
        _assertSlippage(shares, sendParam.minAmountLD);
        uint256 sent = shares;
        if (sendParam.dstEid != VAULT_EID) {
            sent = _withoutDust(shares);
            uint256 dust = shares - sent;
            if (dust != 0) {
                address user = depositor.bytes32ToAddress();
                IERC20(SHARE_ERC20).safeTransfer(user, dust);
                emit ShareDustDelivered(user, dust);
            }
        }
        sendParam.amountLD = sent;
        sendParam.minAmountLD = 0;
        _deliver(SHARE_OFT, sendParam, _payer(refundAddress));
        emit Deposited(depositor, sendParam.to, sendParam.dstEid, assetAmount, shares);
    }

    /// @dev The reference flow; in a compose, an asset that cannot be sent on stays with the redeemer here. A direct
    /// `redeemAndSend` reverts instead, so its caller simply keeps the shares.
    function _redeemAndSend(
        bytes32 redeemer,
        uint256 shareAmount,
        SendParam memory sendParam,
        address refundAddress
    ) internal override {
        uint256 assets = _redeem(redeemer, shareAmount);
        _assertSlippage(assets, sendParam.minAmountLD);
        sendParam.amountLD = assets;
        sendParam.minAmountLD = 0;
        if (msg.sender != address(this) || sendParam.dstEid == VAULT_EID) {
            _deliver(ASSET_OFT, sendParam, _payer(refundAddress));
        } else {
            refundAddress = _executor;
            // solhint-disable-next-line check-send-result
            try IOFT(ASSET_OFT).send{value: msg.value}(sendParam, MessagingFee(msg.value, 0), refundAddress) {} catch {
                address user = redeemer.bytes32ToAddress();
                IERC20(ASSET_ERC20).safeTransfer(user, assets);
                emit AssetKeptOnVaultChain(user, assets);
                _returnValue(refundAddress);
            }
        }
        emit Redeemed(redeemer, sendParam.to, sendParam.dstEid, shareAmount, assets);
    }

    // ================================================================== internals

    /// @dev Which of the composer's OFTs (`ASSET_OFT` or `SHARE_OFT`) a compose sent by `composeSender` runs as;
    /// reverts for any other sender. A variant whose asset arrives through another contract (the native pool of
    /// `RollupVaultComposerNative`) maps it to `ASSET_OFT` here.
    function _composeOFT(address composeSender) internal view virtual returns (address oft) {
        if (composeSender != ASSET_OFT && composeSender != SHARE_OFT) revert OnlyValidComposeCaller(composeSender);
        return composeSender;
    }

    /// @dev Turns the `amount` that `composeSender` delivered into what the compose spends (after the gas check):
    /// nothing to do for tokens; the native variant wraps ether.
    function _takeIn(address composeSender, uint256 amount) internal virtual {}

    /// @dev Failure path of a compose: refund to the source chain if the executor paid for it, else deliver here.
    function _recover(
        address oft,
        bytes32 guid,
        uint32 srcEid,
        bytes32 composeFrom,
        uint256 amount,
        address executor
    ) private {
        try this.refundToSource{value: msg.value, gas: gasleft() - DELIVERY_RESERVE}(oft, srcEid, composeFrom, amount) {
            emit Refunded(guid);
        } catch {
            address user = composeFrom.bytes32ToAddress();
            address token = oft == ASSET_OFT ? ASSET_ERC20 : SHARE_ERC20;
            IERC20(token).safeTransfer(user, amount);
            emit DeliveredOnVaultChain(guid, token, user, amount);
            _returnValue(executor);
        }
    }

    /// @dev Sends the call's ether back to who paid it (best effort, bounded gas: a refusing payer only loses it
    /// to this contract's next compose fee).
    function _returnValue(address to) private {
        if (msg.value == 0) return;
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, ) = payable(to).call{value: msg.value, gas: 30_000}("");
        ok; // a payer that refuses ether keeps nothing from the user
    }

    /// @dev The reference `_send`, except that ether sent along with a delivery on this chain goes back to `payer`
    /// (the reference reverts, which would let any executor turn a deposit into a refund by attaching some).
    function _deliver(address oft, SendParam memory sendParam, address payer) private {
        if (sendParam.dstEid != VAULT_EID) return _send(oft, sendParam, payer);
        address token = oft == ASSET_OFT ? ASSET_ERC20 : SHARE_ERC20;
        IERC20(token).safeTransfer(sendParam.to.bytes32ToAddress(), sendParam.amountLD);
        _returnValue(payer);
    }

    /// @dev In a compose (a self-call) the executor paid the fee; in a direct call, the caller's refund address.
    function _payer(address refundAddress) private view returns (address) {
        return msg.sender == address(this) ? _executor : refundAddress;
    }

    function _withoutDust(uint256 shares) private view returns (uint256) {
        uint256 rate = IOFTDecimals(SHARE_OFT).decimalConversionRate();
        return (shares / rate) * rate;
    }
}
