// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IStargateMultiRewarder
/// @notice The views of Stargate V2's StargateMultiRewarder that an LP vault needs.
/// @dev Facts from stargate-protocol/stargate-v2 (src/peripheral/rewarder/StargateMultiRewarder.sol): rewards stream
/// per second per reward token; address(0) stands for native ETH. The owner can stop a reward token, which removes
/// it from `rewardTokens` (a holder of that token's past pushes must remember it itself).
interface IStargateMultiRewarder {
    /// @notice Emitted on every push (`onUpdate`) with the tokens and amounts sent to `user`.
    event RewardsClaimed(address indexed user, address[] rewardTokens, uint256[] amounts);

    /// @notice The pending rewards of `user` staking `stakingToken`, one amount per reward token.
    function getRewards(IERC20 stakingToken, address user) external view returns (address[] memory, uint256[] memory);

    /// @notice Every reward token currently registered (across all staking tokens); address(0) is native ETH.
    function rewardTokens() external view returns (address[] memory);
}
