// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ICooldownStaking
/// @notice The stkAAVE-shaped exit gate a staking contract may add: a staker calls `cooldown()`, waits
/// `COOLDOWN_SECONDS`, then may take its stake out during the following `UNSTAKE_WINDOW` seconds.
/// @dev The cooldown covers the staker's whole balance. Taking the stake out is possible when
/// `block.timestamp > start + COOLDOWN_SECONDS` and `block.timestamp - (start + COOLDOWN_SECONDS) <= UNSTAKE_WINDOW`.
/// After the window the cooldown is void and must be started again. A new stake during an active cooldown moves
/// its start later (weighted by amounts), as stkAAVE does.
interface ICooldownStaking {
    /// @notice Starts (or restarts) the caller's cooldown at the current time.
    function cooldown() external;

    /// @notice Start of `staker`'s cooldown, or zero if none.
    function stakersCooldowns(address staker) external view returns (uint256);

    /// @notice Waiting time between `cooldown()` and the unstake window.
    function COOLDOWN_SECONDS() external view returns (uint256);

    /// @notice Length of the window in which a cooled-down stake can be taken out.
    function UNSTAKE_WINDOW() external view returns (uint256);
}
