// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IAdapter} from "../interfaces/IAdapter.sol";
import {BaseAdapter} from "./BaseAdapter.sol";

/// @title ERC4626Adapter
/// @notice Routes a vault's asset into any ERC-4626 target vault over the same asset.
/// @dev Values the position with the target's `previewRedeem` (fees included) and releases what the target's
/// `maxWithdraw` allows, so a target that limits withdrawals keeps the parent vault's `maxWithdraw` truthful.
/// Asset left in the adapter (dust, donations) counts as held and leaves first on a deallocation.
/// An allocation must leave a position worth what was sent, less at most ALLOCATION_TOLERANCE_DIVISOR-th of it plus
/// 2 wei (the target's rounding): a target whose share price was inflated by a donation (the first-depositor attack
/// on a fresh target) would mint too few shares, and the allocation reverts instead.
contract ERC4626Adapter is BaseAdapter {
    using SafeERC20 for IERC20;

    /// @notice The ERC-4626 vault the assets go into.
    IERC4626 public immutable TARGET;
    /// @notice An allocation may lose at most assets / ALLOCATION_TOLERANCE_DIVISOR (+2 wei) to the target's rounding.
    uint256 public constant ALLOCATION_TOLERANCE_DIVISOR = 1_000_000;

    /// @param vault_ The vault to serve.
    /// @param target_ The ERC-4626 target; its asset must be the vault's.
    constructor(address vault_, IERC4626 target_) BaseAdapter(vault_) {
        if (address(target_) == address(0)) revert ZeroAddress();
        if (target_.asset() != ASSET) revert AssetMismatch(ASSET, target_.asset());
        TARGET = target_;
    }

    /// @inheritdoc IAdapter
    /// @dev Read by the vault to price every deposit and exit: its three reads go through `_read`.
    function totalAssets() external view returns (uint256) {
        address target = address(TARGET);
        uint256 self = uint160(address(this));
        return
            _read(target, IERC4626.previewRedeem.selector, _read(target, IERC20.balanceOf.selector, self)) +
            _read(ASSET, IERC20.balanceOf.selector, self);
    }

    /// @inheritdoc IAdapter
    function releasable() external view returns (uint256) {
        uint256 self = uint160(address(this));
        return
            _read(address(TARGET), IERC4626.maxWithdraw.selector, self) + _read(ASSET, IERC20.balanceOf.selector, self);
    }

    /// @inheritdoc IAdapter
    /// @dev Reverts with AllocationShortfall when the shares minted are worth less than `assets` beyond the tolerance.
    function allocate(uint256 assets) external onlyVault {
        IERC20(ASSET).forceApprove(address(TARGET), assets);
        uint256 shares = TARGET.deposit(assets, address(this));
        uint256 worth = TARGET.previewRedeem(shares);
        if (worth + assets / ALLOCATION_TOLERANCE_DIVISOR + 2 < assets) revert AllocationShortfall(assets, worth);
    }

    /// @inheritdoc BaseAdapter
    function liquiditySource() public view override returns (address) {
        return address(TARGET);
    }

    /// @inheritdoc IAdapter
    function deallocate(uint256 assets) external onlyVault returns (uint256 freed) {
        uint256 self = uint160(address(this));
        uint256 fromLoose = Math.min(_read(ASSET, IERC20.balanceOf.selector, self), assets);
        uint256 fromTarget = Math.min(assets - fromLoose, _read(address(TARGET), IERC4626.maxWithdraw.selector, self));
        if (fromLoose != 0) IERC20(ASSET).safeTransfer(VAULT, fromLoose);
        if (fromTarget != 0) fromTarget = _pull(fromTarget);
        return fromLoose + fromTarget;
    }

    /// @dev Pulls `assets` from the target to the vault and returns what was paid. A withdrawal burns the shares it
    /// needs rounded up: when one target share is worth more than the allocation tolerance (a target with few shares
    /// and a gain), that rounding would give most of a share away to the target's other holders and the parent
    /// vault's price would fall. Then the adapter redeems those whole shares to itself, pays `assets` and keeps the
    /// surplus as loose asset (still held, and the first to leave on the next deallocation). If the target does not
    /// let all those shares out, only the whole shares it lets out and `assets` covers are redeemed (paying less).
    /// One target call decides the common case: the shares `previewWithdraw` rounds up to are worth less than
    /// `assets` plus one share, so what they redeem for exceeds `assets` by at most the floor of one share's worth,
    /// `convertToAssets(1)`; when that is within the tolerance the withdrawal gives nothing away (for a target whose
    /// withdraw and redeem charge alike, as ERC-4626's conversions assume). Otherwise the exact check
    /// (`previewRedeem(previewWithdraw(assets))`) decides.
    function _pull(uint256 assets) internal returns (uint256 paid) {
        uint256 tolerance = assets / ALLOCATION_TOLERANCE_DIVISOR + 2;
        if (_read(address(TARGET), IERC4626.convertToAssets.selector, 1) <= tolerance) {
            TARGET.withdraw(assets, VAULT, address(this));
            return assets;
        }
        uint256 shares = TARGET.previewWithdraw(assets);
        if (TARGET.previewRedeem(shares) <= assets + tolerance) {
            TARGET.withdraw(assets, VAULT, address(this));
            return assets;
        }
        uint256 redeemable = TARGET.maxRedeem(address(this));
        if (shares > redeemable) shares = Math.min(TARGET.convertToShares(assets), redeemable);
        if (shares == 0) return 0;
        paid = Math.min(TARGET.redeem(shares, address(this), address(this)), assets);
        IERC20(ASSET).safeTransfer(VAULT, paid);
    }

    /// @dev `selector(arg)` on `account`, a view returning one word, as a high-level call would do it (its revert
    /// bubbled up, a reply shorter than a word refused) without the ABI encoder's memory work: the hot views save a
    /// few hundred gas on every deposit and exit. Writes the scratch space only, except a revert's data, copied from
    /// offset 0 just before reverting.
    function _read(address account, bytes4 selector, uint256 arg) private view returns (uint256 value) {
        assembly ("memory-safe") {
            mstore(0, selector)
            mstore(4, arg)
            if iszero(staticcall(gas(), account, 0, 36, 0, 32)) {
                returndatacopy(0, 0, returndatasize())
                revert(0, returndatasize())
            }
            if lt(returndatasize(), 32) {
                revert(0, 0)
            }
            value := mload(0)
        }
    }

    /// @inheritdoc IAdapter
    /// @dev A plain ERC-4626 target pays no reward tokens: its yield is in its share price, realised by reports.
    function harvest(address) external virtual onlyVault returns (address[] memory tokens, uint256[] memory amounts) {
        return (tokens, amounts);
    }
}
