// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {ERC4626Adapter} from "../adapters/ERC4626Adapter.sol";

/// @title MockRewardAdapter
/// @notice Test-support adapter: ERC4626Adapter into an ERC-4626 target, that also pays reward tokens a test mints
/// to it. `harvest` sends the whole balance of every configured reward token to the receiver, like a farm that
/// pushes all pending rewards on claim (StargateStaking, StakingRewards.getReward).
/// @dev A test may configure the vault's asset or share as a "reward token", or make the reported amounts lie, to
/// play a misbehaving adapter against the distributor. Never deployed to a real network.
contract MockRewardAdapter is ERC4626Adapter {
    using SafeERC20 for IERC20;

    address[] internal _rewardTokens;
    /// @notice Added to every reported amount (a lying adapter).
    uint256 public reportedBonus;

    constructor(address vault_, IERC4626 target_) ERC4626Adapter(vault_, target_) {}

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

    /// @notice Sends the whole balance of each configured reward token to `receiver`; amounts are measured by the
    /// receiver's balance change (plus `reportedBonus`).
    function harvest(
        address receiver
    ) external override onlyVault returns (address[] memory tokens, uint256[] memory amounts) {
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
