// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {BaseAdapter} from "../adapters/BaseAdapter.sol";

/// @title MockRewardAdapter
/// @notice Test-support adapter: routes the vault's asset into an ERC-4626 target like ERC4626Adapter, and also
/// pays reward tokens that a test mints to it. `harvest` sends the whole balance of every configured reward token to
/// the receiver, like a farm that pushes all pending rewards on claim (StargateStaking, StakingRewards.getReward).
/// @dev A test may configure the vault's asset or share as a "reward token", or make the reported amounts lie, to
/// play a misbehaving adapter against the distributor. Never deployed to a real network.
contract MockRewardAdapter is BaseAdapter {
    using SafeERC20 for IERC20;

    /// @notice The ERC-4626 vault the assets go into.
    IERC4626 public immutable TARGET;

    address[] internal _rewardTokens;
    /// @notice Added to every reported amount (a lying adapter).
    uint256 public reportedBonus;

    constructor(address vault_, IERC4626 target_) BaseAdapter(vault_) {
        if (address(target_) == address(0)) revert ZeroAddress();
        if (target_.asset() != ASSET) revert AssetMismatch(ASSET, target_.asset());
        TARGET = target_;
    }

    /// @notice Sets the tokens `harvest` pays out (test hook, open to anyone).
    function setRewardTokens(address[] calldata tokens) external {
        _rewardTokens = tokens;
    }

    /// @notice Makes `harvest` overstate every amount by `bonus` (test hook, open to anyone).
    function setReportedBonus(uint256 bonus) external {
        reportedBonus = bonus;
    }

    function rewardTokens() external view returns (address[] memory) {
        return _rewardTokens;
    }

    function totalAssets() external view returns (uint256) {
        return TARGET.previewRedeem(TARGET.balanceOf(address(this))) + IERC20(ASSET).balanceOf(address(this));
    }

    function releasable() external view returns (uint256) {
        return TARGET.maxWithdraw(address(this)) + IERC20(ASSET).balanceOf(address(this));
    }

    function allocate(uint256 assets) external onlyVault {
        IERC20(ASSET).forceApprove(address(TARGET), assets);
        TARGET.deposit(assets, address(this));
    }

    function deallocate(uint256 assets) external onlyVault returns (uint256 freed) {
        uint256 loose = IERC20(ASSET).balanceOf(address(this));
        uint256 fromLoose = Math.min(loose, assets);
        uint256 fromTarget = Math.min(assets - fromLoose, TARGET.maxWithdraw(address(this)));
        if (fromLoose != 0) IERC20(ASSET).safeTransfer(VAULT, fromLoose);
        if (fromTarget != 0) TARGET.withdraw(fromTarget, VAULT, address(this));
        return fromLoose + fromTarget;
    }

    /// @notice Sends the whole balance of each configured reward token to `receiver`; amounts are measured by the
    /// receiver's balance change (plus `reportedBonus`).
    function harvest(address receiver) external onlyVault returns (address[] memory tokens, uint256[] memory amounts) {
        tokens = _rewardTokens;
        amounts = new uint256[](tokens.length);
        for (uint256 i; i < tokens.length; ++i) {
            IERC20 token = IERC20(tokens[i]);
            uint256 balance = token.balanceOf(address(this));
            uint256 before = token.balanceOf(receiver);
            if (balance != 0) token.safeTransfer(receiver, balance);
            amounts[i] = token.balanceOf(receiver) - before + reportedBonus;
        }
    }
}
