// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";

/// @title RecordingRewardsDistributor
/// @notice Test-support rewards distributor that only records the hooks the vault calls on it.
contract RecordingRewardsDistributor is IRewardsDistributor {
    /// @notice Number of `beforeBalanceChange` calls seen.
    uint256 public balanceChanges;
    /// @notice Number of `notifyRewards` calls seen.
    uint256 public notifications;
    address public lastFrom;
    address public lastTo;

    function beforeBalanceChange(address from, address to) external {
        ++balanceChanges;
        lastFrom = from;
        lastTo = to;
    }

    function notifyRewards(address[] calldata, uint256[] calldata) external {
        ++notifications;
    }
}
