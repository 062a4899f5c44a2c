// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable immutable-vars-naming
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IAdapter} from "../interfaces/IAdapter.sol";

/// @title MisbehavingAdapter
/// @notice Test-support adapter that holds assets itself and can be told to lie, revert, short-pay, return junk,
/// burn its gas, or read the vault's price from inside its `deallocate` (read-only re-entrancy).
contract MisbehavingAdapter is IAdapter {
    using SafeERC20 for IERC20;

    error Broken();

    address public immutable vault;
    address public immutable asset;
    /// @notice Added to the true holdings in `totalAssets` (a lying report).
    int256 public reportSkew;
    /// @notice Replaces `totalAssets` when non-zero (a lie of any size, up to type(uint256).max).
    uint256 public reportOverride;
    /// @notice Every call reverts.
    bool public reverts;
    /// @notice Only `deallocate` reverts (a target with paused withdrawals).
    bool public deallocateReverts;
    /// @notice The views return one byte instead of a word.
    bool public shortReturn;
    /// @notice The views and `deallocate` burn all the gas they are given.
    bool public burnsGas;
    /// @notice Share of each deallocation actually paid, in basis points.
    uint256 public payBps = 10_000;
    /// @notice Overrides `releasable` when non-zero.
    uint256 public releasableOverride;
    /// @notice What the vault's `totalAssets` and `totalSupply` read from inside the last `deallocate`.
    uint256 public seenTotalAssets;
    uint256 public seenTotalSupply;

    constructor(address vault_) {
        vault = vault_;
        asset = IERC4626(vault_).asset();
    }

    function setReportSkew(int256 skew) external {
        reportSkew = skew;
    }

    function setReportOverride(uint256 value) external {
        reportOverride = value;
    }

    function setReverts(bool value) external {
        reverts = value;
    }

    function setDeallocateReverts(bool value) external {
        deallocateReverts = value;
    }

    function setShortReturn(bool value) external {
        shortReturn = value;
    }

    function setBurnsGas(bool value) external {
        burnsGas = value;
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
        _misbehaveInView();
        if (reportOverride != 0) return reportOverride;
        int256 value = int256(IERC20(asset).balanceOf(address(this))) + reportSkew;
        return value < 0 ? 0 : uint256(value);
    }

    function releasable() external view returns (uint256) {
        _misbehaveInView();
        if (releasableOverride != 0) return releasableOverride;
        return IERC20(asset).balanceOf(address(this));
    }

    function allocate(uint256) external view {
        if (msg.sender != vault) revert NotVault(msg.sender);
        if (reverts) revert Broken();
    }

    function deallocate(uint256 assets) external returns (uint256 paid) {
        if (msg.sender != vault) revert NotVault(msg.sender);
        if (reverts || deallocateReverts) revert Broken();
        if (burnsGas) _burnGas();
        seenTotalAssets = IERC4626(vault).totalAssets();
        seenTotalSupply = IERC20(vault).totalSupply();
        paid = (assets * payBps) / 10_000;
        IERC20(asset).safeTransfer(vault, paid);
    }

    function harvest(address) external view returns (address[] memory tokens, uint256[] memory amounts) {
        if (reverts) revert Broken();
        return (tokens, amounts);
    }

    function _misbehaveInView() internal view {
        if (reverts) revert Broken();
        if (burnsGas) _burnGas();
        if (shortReturn) {
            assembly ("memory-safe") {
                mstore(0, shl(248, 1))
                return(0, 1)
            }
        }
    }

    function _burnGas() internal view {
        uint256 sink;
        while (gasleft() > 0) sink = uint256(keccak256(abi.encode(sink, gasleft())));
    }
}
