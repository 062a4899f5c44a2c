// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable immutable-vars-naming
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IAdapter} from "../interfaces/IAdapter.sol";

/// @title MisbehavingAdapter
/// @notice Test-support adapter that holds assets itself and can be told to lie, revert, or short-pay.
contract MisbehavingAdapter is IAdapter {
    using SafeERC20 for IERC20;

    error Broken();

    address public immutable vault;
    address public immutable asset;
    /// @notice Added to the true holdings in `totalAssets` (a lying report).
    int256 public reportSkew;
    /// @notice Every call reverts.
    bool public reverts;
    /// @notice Share of each deallocation actually paid, in basis points.
    uint256 public payBps = 10_000;
    /// @notice Overrides `releasable` when non-zero.
    uint256 public releasableOverride;

    constructor(address vault_) {
        vault = vault_;
        asset = IERC4626(vault_).asset();
    }

    function setReportSkew(int256 skew) external {
        reportSkew = skew;
    }

    function setReverts(bool value) external {
        reverts = value;
    }

    function setPayBps(uint256 value) external {
        payBps = value;
    }

    function setReleasableOverride(uint256 value) external {
        releasableOverride = value;
    }

    /// @notice Simulates a loss of `amount` held assets.
    function lose(uint256 amount) external {
        IERC20(asset).safeTransfer(address(0xdead), amount);
    }

    function totalAssets() public view returns (uint256) {
        if (reverts) revert Broken();
        int256 value = int256(IERC20(asset).balanceOf(address(this))) + reportSkew;
        return value < 0 ? 0 : uint256(value);
    }

    function releasable() external view returns (uint256) {
        if (reverts) revert Broken();
        if (releasableOverride != 0) return releasableOverride;
        return IERC20(asset).balanceOf(address(this));
    }

    function allocate(uint256) external view {
        if (msg.sender != vault) revert NotVault(msg.sender);
        if (reverts) revert Broken();
    }

    function deallocate(uint256 assets) external returns (uint256 paid) {
        if (msg.sender != vault) revert NotVault(msg.sender);
        if (reverts) revert Broken();
        paid = (assets * payBps) / 10_000;
        IERC20(asset).safeTransfer(vault, paid);
    }

    function harvest(address) external view returns (address[] memory tokens, uint256[] memory amounts) {
        if (reverts) revert Broken();
        return (tokens, amounts);
    }
}
