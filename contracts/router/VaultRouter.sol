// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";
import {IVaultRouter} from "../interfaces/IVaultRouter.sol";
import {IVaultBounds} from "../interfaces/IVaultBounds.sol";
import {IVaultCore} from "../interfaces/IVaultCore.sol";
import {IRedemptionQueue} from "../interfaces/IRedemptionQueue.sol";
import {IWETH} from "../interfaces/external/IWETH.sol";

/// @notice DAI's permit (holder, spender, nonce, expiry, allowed), as on DAI and some bridged stablecoins.
interface IDaiPermit {
    function permit(
        address holder,
        address spender,
        uint256 nonce,
        uint256 expiry,
        bool allowed,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external;
}

/// @title VaultRouter
/// @notice ERC-5143-style bounded deposits and exits, self-permit, native ETH and async redeem requests for the
/// vaults of the suite, batched with `multicall`. Holds nothing between calls.
/// @dev VALUE. Inside a `multicall` every delegatecalled action sees the same `msg.value`; a transient flag lets
/// `depositETH` spend it once, and the outermost call reverts if ether came in and was not spent, so no ether is
/// ever left behind or reused. APPROVALS. The router approves a vault for exactly what it pulled, right before the
/// vault's call, and sets the allowance back to zero if the vault did not use all of it; anything the vault left in
/// the router goes back to the caller in the same call.
contract VaultRouter is IVaultRouter, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @inheritdoc IVaultRouter
    address public immutable WETH;

    /// @dev Gas for the `isOperator` query: a RollupVault answers it with about 7,000 (its fallback's delegatecall to
    /// the admin module and one cold mapping read); a vault that burns more is treated as not approving the router.
    uint256 private constant OPERATOR_QUERY_GAS = 30_000;

    /// @dev True while a `multicall` runs (transient: cleared at the end of the transaction at the latest).
    bool private transient _inMulticall;
    /// @dev True once `msg.value` has been spent in the current outermost call.
    bool private transient _valueSpent;

    constructor(address weth) {
        WETH = weth;
    }

    /// @dev Checks, once the outermost call is over, that any ether it carried was spent, and resets the flag.
    modifier settlesValue() {
        _;
        if (!_inMulticall) _settleValue();
    }

    // ================================================================== batching and permits

    /// @inheritdoc IVaultRouter
    function multicall(bytes[] calldata data) external payable returns (bytes[] memory results) {
        if (_inMulticall) revert NestedMulticall();
        _inMulticall = true;
        results = new bytes[](data.length);
        for (uint256 i; i < data.length; ++i) {
            results[i] = Address.functionDelegateCall(address(this), data[i]);
        }
        _inMulticall = false;
        _settleValue();
    }

    /// @inheritdoc IVaultRouter
    function selfPermit(
        address token,
        uint256 value,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external payable settlesValue {
        try IERC20Permit(token).permit(msg.sender, address(this), value, deadline, v, r, s) {} catch {
            // Front-run with the same signature (or a token without permit): go on if the allowance is there.
            uint256 allowance = IERC20(token).allowance(msg.sender, address(this));
            if (allowance < value) revert PermitFailed(token, allowance, value);
        }
    }

    /// @inheritdoc IVaultRouter
    function selfPermitAllowed(
        address token,
        uint256 nonce,
        uint256 expiry,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external payable settlesValue {
        try IDaiPermit(token).permit(msg.sender, address(this), nonce, expiry, true, v, r, s) {} catch {
            uint256 allowance = IERC20(token).allowance(msg.sender, address(this));
            if (allowance != type(uint256).max) revert PermitFailed(token, allowance, type(uint256).max);
        }
    }

    // ================================================================== deposits

    /// @inheritdoc IVaultRouter
    function depositMin(
        IERC4626 vault,
        uint256 assets,
        address receiver,
        uint256 minShares
    ) external payable nonReentrant settlesValue returns (uint256 shares) {
        _checkReceiver(receiver);
        if (assets == 0) revert ZeroAmount();
        if (_isOperatorOf(address(vault))) {
            // No custody: the vault pulls from the caller, who approved the vault and made the router its operator.
            shares = IVaultBounds(address(vault)).depositMinFrom(msg.sender, assets, receiver, minShares);
            if (shares < minShares) revert MinSharesNotMet(shares, minShares);
            emit RoutedDeposit(msg.sender, address(vault), receiver, assets, shares);
            return shares;
        }
        IERC20 asset = IERC20(vault.asset());
        asset.safeTransferFrom(msg.sender, address(this), assets);
        shares = _deposit(vault, asset, assets, receiver, minShares);
    }

    /// @inheritdoc IVaultRouter
    function depositETH(
        IERC4626 vault,
        address receiver,
        uint256 minShares
    ) external payable nonReentrant settlesValue returns (uint256 shares) {
        _checkReceiver(receiver);
        if (_valueSpent) revert MsgValueAlreadySpent();
        uint256 assets = msg.value;
        if (assets == 0) revert ZeroAmount();
        address asset = vault.asset();
        if (asset != WETH) revert NotWethVault(address(vault), asset);
        _valueSpent = true;
        IWETH(WETH).deposit{value: assets}();
        shares = _deposit(vault, IERC20(asset), assets, receiver, minShares);
    }

    /// @inheritdoc IVaultRouter
    function mintMax(
        IERC4626 vault,
        uint256 shares,
        address receiver,
        uint256 maxAssets
    ) external payable nonReentrant settlesValue returns (uint256 assets) {
        _checkReceiver(receiver);
        if (shares == 0) revert ZeroAmount();
        if (_isOperatorOf(address(vault))) {
            // No custody, as in `depositMin`: the vault pulls what the mint costs from the caller.
            assets = IVaultBounds(address(vault)).mintMaxFrom(msg.sender, shares, receiver, maxAssets);
            if (assets > maxAssets) revert MaxAssetsExceeded(assets, maxAssets);
            emit RoutedDeposit(msg.sender, address(vault), receiver, assets, shares);
            return assets;
        }
        // ERC-4626: previewMint is what `mint` costs in this block (rounded up, in the vault's favour).
        uint256 needed = vault.previewMint(shares);
        if (needed > maxAssets) revert MaxAssetsExceeded(needed, maxAssets);
        IERC20 asset = IERC20(vault.asset());
        asset.safeTransferFrom(msg.sender, address(this), needed);
        asset.forceApprove(address(vault), needed);
        assets = vault.mint(shares, receiver);
        if (assets > maxAssets) revert MaxAssetsExceeded(assets, maxAssets);
        _cleanUp(asset, address(vault));
        emit RoutedDeposit(msg.sender, address(vault), receiver, assets, shares);
    }

    // ================================================================== exits

    /// @inheritdoc IVaultRouter
    function withdrawMax(
        IERC4626 vault,
        uint256 assets,
        address receiver,
        uint256 maxShares
    ) external payable nonReentrant settlesValue returns (uint256 shares) {
        _checkReceiver(receiver);
        shares = vault.withdraw(assets, receiver, msg.sender);
        if (shares > maxShares) revert MaxSharesExceeded(shares, maxShares);
        emit RoutedWithdraw(msg.sender, address(vault), receiver, assets, shares);
    }

    /// @inheritdoc IVaultRouter
    function redeemMin(
        IERC4626 vault,
        uint256 shares,
        address receiver,
        uint256 minAssets
    ) external payable nonReentrant settlesValue returns (uint256 assets) {
        _checkReceiver(receiver);
        assets = vault.redeem(shares, receiver, msg.sender);
        if (assets < minAssets) revert MinAssetsNotMet(assets, minAssets);
        emit RoutedWithdraw(msg.sender, address(vault), receiver, assets, shares);
    }

    /// @inheritdoc IVaultRouter
    function redeemWithMaxLoss(
        IERC4626 vault,
        uint256 shares,
        address receiver,
        uint256 maxLossBps,
        uint256 minAssets
    ) external payable nonReentrant settlesValue returns (uint256 assets) {
        _checkReceiver(receiver);
        assets = IVaultCore(address(vault)).redeemWithMaxLoss(shares, receiver, msg.sender, maxLossBps);
        if (assets < minAssets) revert MinAssetsNotMet(assets, minAssets);
        emit RoutedWithdraw(msg.sender, address(vault), receiver, assets, shares);
    }

    /// @inheritdoc IVaultRouter
    function requestRedeem(
        IRedemptionQueue queue,
        uint256 shares,
        address controller
    ) external payable nonReentrant settlesValue returns (uint256 requestId) {
        _checkReceiver(controller);
        if (shares == 0) revert ZeroAmount();
        IERC20 share = IERC20(queue.share());
        share.safeTransferFrom(msg.sender, address(this), shares);
        share.forceApprove(address(queue), shares);
        // The router owns the shares for this one call and requests as their owner; the request is `controller`'s.
        requestId = queue.requestRedeem(shares, controller, address(this));
        _cleanUp(share, address(queue));
        emit RoutedRedeemRequest(msg.sender, address(queue), controller, requestId, shares);
    }

    // ================================================================== internals

    function _deposit(
        IERC4626 vault,
        IERC20 asset,
        uint256 assets,
        address receiver,
        uint256 minShares
    ) private returns (uint256 shares) {
        asset.forceApprove(address(vault), assets);
        shares = vault.deposit(assets, receiver);
        if (shares < minShares) revert MinSharesNotMet(shares, minShares);
        _cleanUp(asset, address(vault));
        emit RoutedDeposit(msg.sender, address(vault), receiver, assets, shares);
    }

    /// @dev Clears what `spender` left of the router's allowance and returns to the caller whatever `spender` did not
    /// take (a vault that takes less than it was approved for, or a malicious one that takes nothing). The router
    /// approved exactly what it pulled, so an allowance used up to zero means every pulled token left the router
    /// through `transferFrom`: the balance only needs reading when some allowance is left.
    function _cleanUp(IERC20 token, address spender) private {
        if (token.allowance(address(this), spender) == 0) return;
        token.forceApprove(spender, 0);
        uint256 left = token.balanceOf(address(this));
        if (left != 0) token.safeTransfer(msg.sender, left);
    }

    /// @dev Whether `vault` reports that the caller made the router its operator (`isOperator(msg.sender, this)`,
    /// IVaultBounds). A gas-capped staticcall: a vault without the function (a plain ERC-4626 vault reverts), a
    /// failure, a short return or anything but an ABI `true` counts as false and leaves the custody path. A vault
    /// that lies gains nothing: the router then holds nothing and approves nothing, and only calls
    /// `depositMinFrom(msg.sender, ...)`, which can move no more than the caller approved to that vault itself.
    function _isOperatorOf(address vault) private view returns (bool approved) {
        bytes memory data = abi.encodeCall(IVaultBounds.isOperator, (msg.sender, address(this)));
        assembly ("memory-safe") {
            mstore(0, 0)
            let ok := staticcall(OPERATOR_QUERY_GAS, vault, add(data, 32), mload(data), 0, 32)
            approved := and(and(ok, gt(returndatasize(), 31)), eq(mload(0), 1))
        }
    }

    function _checkReceiver(address receiver) private view {
        if (receiver == address(0) || receiver == address(this)) revert InvalidReceiver(receiver);
    }

    function _settleValue() private {
        if (msg.value != 0 && !_valueSpent) revert UnspentValue(msg.value);
        _valueSpent = false;
    }
}
