// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {BaseAdapter} from "../adapters/BaseAdapter.sol";
import {IInKindAdapter} from "../interfaces/IInKindAdapter.sol";

/// @title MockInKindAdapter
/// @notice Test-support adapter that keeps the vault's asset loose and hands it out "in kind" (the in-kind token is
/// the asset itself), with two faults a test can switch on: a hidden loss (`totalAssets` below what it holds, as a
/// protocol whose position lost value) and an overpayment (`releaseInKind` sends `extra` more than asked, as a buggy
/// adapter would), and views that revert on demand (`setBroken`). It may lose, so the vault watches it. Never deployed
/// to a real network.
contract MockInKindAdapter is BaseAdapter, IInKindAdapter {
    using SafeERC20 for IERC20;

    uint256 public loss;
    uint256 public extra;
    /// @notice Bit 0: `totalAssets` reverts; bit 1: `inKindToken` and `inKindBridgeable` revert; bit 2: `releasable`.
    uint256 public broken;

    /// @notice A view switched off by `setBroken`.
    error Broken();

    constructor(address vault_) BaseAdapter(vault_) {}

    function setLoss(uint256 loss_) external {
        loss = loss_;
    }

    function setExtra(uint256 extra_) external {
        extra = extra_;
    }

    function setBroken(uint256 broken_) external {
        broken = broken_;
    }

    modifier unless(uint256 bit) {
        if (broken & bit != 0) revert Broken();
        _;
    }

    function totalAssets() external view unless(1) returns (uint256) {
        uint256 held = IERC20(ASSET).balanceOf(address(this));
        return held > loss ? held - loss : 0;
    }

    function releasable() external view unless(4) returns (uint256) {
        return IERC20(ASSET).balanceOf(address(this));
    }

    function allocate(uint256) external onlyVault {}

    function deallocate(uint256 assets) external onlyVault returns (uint256) {
        IERC20(ASSET).safeTransfer(VAULT, assets);
        return assets;
    }

    function harvest(address) external onlyVault returns (address[] memory tokens, uint256[] memory amounts) {}

    function inKindToken() external view unless(2) returns (address) {
        return ASSET;
    }

    function inKindAvailable() external view returns (uint256) {
        return IERC20(ASSET).balanceOf(address(this));
    }

    function inKindBridgeable(uint32) external view unless(2) returns (uint256) {
        return 0;
    }

    function releaseInKind(uint256 assets, address receiver) external onlyVault returns (uint256) {
        IERC20(ASSET).safeTransfer(receiver, assets + extra);
        emit InKindReleased(receiver, assets + extra);
        return assets;
    }
}
