// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IStargateMultiRewarder
/// @notice The views of Stargate V2's StargateMultiRewarder that an LP vault needs.
/// @dev Facts from stargate-protocol/stargate-v2 (src/peripheral/rewarder/StargateMultiRewarder.sol): rewards stream
/// per second per reward token; address(0) stands for native ETH. ONE rewarder serves every LP of the chain: its
/// `rewardTokens` is chain-wide (up to 100, campaigns that ended stay listed), so what pays a given LP is read from
/// `getRewards(lp, user)`. The owner can stop a reward token (`stopReward`), which removes it from both and voids
/// what was pending (a holder of that token's past pushes must remember it itself).
interface IStargateMultiRewarder {
    /// @notice Emitted on every push (`onUpdate`) with the tokens and amounts sent to `user`.
    event RewardsClaimed(address indexed user, address[] rewardTokens, uint256[] amounts);

    /// @notice The pending rewards of `user` staking `stakingToken`, one amount per reward token that this staking
    /// token has alloc points in (ended campaigns included, with zero pending).
    function getRewards(IERC20 stakingToken, address user) external view returns (address[] memory, uint256[] memory);

    /// @notice Every reward token currently registered (across all staking tokens of the chain); address(0) is native
    /// ETH. Never bound an LP's harvest by it.
    function rewardTokens() external view returns (address[] memory);
}
