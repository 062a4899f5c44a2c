// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title RevertingStargateRewarder
/// @notice Test support, a FAULT the real StargateMultiRewarder cannot produce: a rewarder whose every call but
/// `connect` reverts, as StargateStaking's owner could install one by `setPool` (broken, or hostile). The adapter must
/// still let the vault leave the farm (`emergencyExit`), redeem and harvest what it holds.
contract RevertingStargateRewarder {
    /// @notice Always reverts with this error.
    error RewarderBroken();

    /// @notice Accepts the staking's connection, so that `setPool` installs it.
    function connect(address) external {}

    /// @notice Reverts: every stake, unstake and claim of the farm reverts with it.
    function onUpdate(address, address, uint256, uint256, uint256) external pure {
        revert RewarderBroken();
    }

    /// @notice Reverts: the adapter's reward-token sync must survive it.
    function getRewards(address, address) external pure returns (address[] memory, uint256[] memory) {
        revert RewarderBroken();
    }
}
